"""The packaging files: the release workflow valid against GitHub's schema (a broken one is
caught), the PyInstaller spec, the installers' promises (per-user, file association), and a
double-clicked workspace on macOS opening in the window. The bundle itself is built and its
frozen self-test run by ``make bundle`` (too slow for the suite)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"


def _validate(path: Path) -> subprocess.CompletedProcess[str]:
    program = Path(sys.executable).parent / "check-jsonschema"
    command = str(program) if program.exists() else shutil.which("check-jsonschema")
    assert command, "check-jsonschema is a test dependency"
    return subprocess.run(
        [command, "--builtin-schema", "vendor.github-workflows", str(path)],
        capture_output=True,
        text=True,
    )


def test_the_release_workflow_is_valid_and_a_broken_one_is_caught(tmp_path):
    assert _validate(WORKFLOW).returncode == 0
    broken = tmp_path / "broken.yml"
    broken.write_text(
        WORKFLOW.read_text(encoding="utf-8").replace("runs-on:", "runs_on:"), encoding="utf-8"
    )
    assert _validate(broken).returncode != 0
    text = WORKFLOW.read_text(encoding="utf-8")
    for promise in (
        "windows-latest",
        "macos-15",
        "macos-15-intel",
        "check_bundle.py",
        "ISCC.exe",
        "The tag is the package's version",
        "needs: installer",
        "fail_on_unmatched_files: true",
    ):
        assert promise in text


def test_the_spec_builds_two_programs_and_the_mac_app():
    source = (ROOT / "packaging" / "chargeback-desk.spec").read_text(encoding="utf-8")
    compile(source, "chargeback-desk.spec", "exec")
    for promise in (
        'name="chargeback-desk"',
        "console=False",
        'name="chargeback-desk-cli"',
        "console=True",
        '"NSHighResolutionCapable": True',
        '"LSBackgroundOnly": False',
        '"CFBundleTypeExtensions": ["cbdesk"]',
        'importlib.metadata.version("chargeback-desk")',
    ):
        assert promise in source
    assert (ROOT / "resources" / "icon.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"
    assert (ROOT / "resources" / "icon.icns").read_bytes()[:4] == b"icns"


def test_the_windows_installer_is_per_user_and_opens_workspaces():
    script = (ROOT / "packaging" / "windows" / "chargeback-desk.iss").read_text(encoding="utf-8")
    for promise in (
        "PrivilegesRequired=lowest",
        "DefaultDirName={localappdata}",
        'Subkey: "Software\\Classes\\.cbdesk"',
        "{autoprograms}",
        "gui --workspace",
    ):
        assert promise in script
    # Uninstalling never touches the user's profile (no [UninstallDelete] of user data), and
    # nobody can turn the per-user install into a half all-users one.
    assert "[UninstallDelete]" not in script
    assert "PrivilegesRequiredOverridesAllowed" not in script


def test_the_dmg_script_signs_only_with_secrets():
    script = (ROOT / "packaging" / "macos" / "build-dmg.sh").read_text(encoding="utf-8")
    assert 'if [ -n "${MACOS_SIGNING_IDENTITY:-}" ]' in script
    assert "xcrun notarytool submit" in script and "hdiutil create" in script
    assert (
        subprocess.run(["sh", "-n", str(ROOT / "packaging" / "macos" / "build-dmg.sh")]).returncode
        == 0
    )


def test_a_workspace_handed_over_by_the_system_opens(qtbot, workspace):
    from PySide6.QtGui import QFileOpenEvent
    from PySide6.QtWidgets import QApplication

    from app.ui.file_open import WorkspaceOpener
    from app.ui.main_window import MainWindow

    window = MainWindow(remember=False)
    qtbot.addWidget(window)
    opener = WorkspaceOpener()
    path = workspace.path
    workspace.dispose()
    # Before the window exists (a Finder double-click starting the app) the path waits.
    assert opener.eventFilter(QApplication.instance(), QFileOpenEvent(str(path)))
    assert opener.waiting == [path] and window.workspace is None
    opener.attach(window)
    assert window.workspace is not None and window.workspace.path == path
    assert not opener.eventFilter(QApplication.instance(), QFileOpenEvent("/tmp/notes.txt"))
    window.close()
