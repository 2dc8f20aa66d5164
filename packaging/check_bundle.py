"""After ``make bundle``: prove the frozen app works on this machine — its ``--self-test``
(every importer, every export including PDF and Excel, the demo workspace and its migrations,
every page and chart rendered) and ``gui --demo --screenshot`` — and report the bundle's size
and the frozen start-up time. Exit 1 if either fails.

Runs headless (offscreen Qt) in a private user-data folder, so it neither reads nor changes
the user's own workspaces.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STARTS = 5


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def check_mac_app(dist: Path, env: dict[str, str]) -> bool:
    """The ``.app`` users get (its own layout): a foreground app whose CLI passes the
    self-test."""
    import plistlib

    app = dist / "Chargeback Desk.app"
    info = plistlib.loads((app / "Contents" / "Info.plist").read_bytes())
    if info.get("LSBackgroundOnly"):
        print("check_bundle: the app is background-only (no Dock icon, no menus)", file=sys.stderr)
        return False
    program = app / "Contents" / "MacOS" / "chargeback-desk-cli"
    test = subprocess.run([program, "--self-test"], env=env, capture_output=True, text=True)
    if test.returncode != 0:
        print(test.stdout + test.stderr, file=sys.stderr)
        print("check_bundle: the .app's self-test FAILED", file=sys.stderr)
        return False
    print(f"ok   {app.name}: foreground app, self-test passed")
    return True


def main() -> int:
    bundle = Path(sys.argv[1] if len(sys.argv) > 1 else "dist/chargeback-desk")
    program = bundle / ("chargeback-desk-cli.exe" if os.name == "nt" else "chargeback-desk-cli")
    if not program.is_file():
        print(f"check_bundle: no {program}; build it with make bundle", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="cbdesk-bundle-check-") as home:
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "HOME": home,
            "XDG_DATA_HOME": home,
            "XDG_CONFIG_HOME": home,
            "XDG_STATE_HOME": home,
            # platformdirs asks the Windows shell for these folders unless told otherwise.
            "WIN_PD_OVERRIDE_APPDATA": home,
            "WIN_PD_OVERRIDE_LOCAL_APPDATA": home,
        }
        test = subprocess.run([program, "--self-test"], env=env, capture_output=True, text=True)
        print(test.stdout.strip())
        if test.returncode != 0:
            print(test.stderr.strip(), file=sys.stderr)
            print("check_bundle: the frozen self-test FAILED", file=sys.stderr)
            return 1
        png = Path(home) / "dashboard.png"
        shot = subprocess.run(
            [program, "gui", "--demo", "--page", "dashboard", "--screenshot", str(png)],
            env=env,
            capture_output=True,
            text=True,
        )
        if shot.returncode != 0 or not png.is_file() or png.stat().st_size == 0:
            print(shot.stderr.strip(), file=sys.stderr)
            print("check_bundle: the frozen window did not render", file=sys.stderr)
            return 1
        print(f"ok   frozen window renders ({png.stat().st_size:,} bytes)")
        starts = []
        for _ in range(STARTS):
            began = time.perf_counter()
            subprocess.run([program, "--version"], env=env, capture_output=True, check=True)
            starts.append(time.perf_counter() - began)
        if sys.platform == "darwin" and not check_mac_app(bundle.parent, env):
            return 1
    size = folder_size(bundle)
    print(
        f"bundle {bundle}: {size / 1_000_000:,.0f} MB; frozen start-up (--version) median "
        f"{statistics.median(starts):.2f} s of {STARTS}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
