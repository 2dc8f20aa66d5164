"""CSV files no built-in importer knows, read through a saved mapping profile: the wizard's
profile, reused by header, named on the command line, exported and applied with the policy."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from decimal import Decimal

import pytest

from app.services.import_profiles import (
    ProfileRejected,
    profile_for,
    profile_named,
    profiles,
    save_profile,
)
from app.services.importing import import_file
from app.services.policy import apply_policy_file, current_document, export_policy_file
from app.services.reporting import cost_report
from importers.mapped_csv import (
    MappingProfile,
    preview_rows,
    profile_from_mapping,
    profile_problems,
    profile_to_mapping,
    sniff_settings,
)

ERP = MappingProfile(
    name="ERP export",
    columns=(
        ("Zeit", "timestamp"),
        ("Modell", "model"),
        ("Eingabe", "input_tokens"),
        ("Ausgabe", "output_tokens"),
        ("Schlüssel", "api_key"),
        ("Abteilung", "tag:department"),
        ("Notiz", "ignore"),
    ),
    delimiter=";",
    header_row=2,
    date_format="%d.%m.%Y %H:%M",
)


def test_the_settings_and_preview_of_an_unknown_csv(data_dir):
    path = data_dir / "erp_ai_usage.csv"
    assert sniff_settings(path) == (";", "utf-8", 2)
    rows = preview_rows(path, ";", "utf-8", 2)
    assert rows[0] == ["Zeit", "Modell", "Eingabe", "Ausgabe", "Schlüssel", "Abteilung", "Notiz"]
    assert rows[1][:2] == ["02.11.2026 09:15", "claude-haiku-4-5"]
    assert len(rows) == 4


def test_profile_problems_name_what_is_missing():
    assert profile_problems(ERP) == []
    bad = MappingProfile(
        "",
        (("A", "model"), ("B", "tag:input_tokens"), ("C", "model")),
        delimiter="x",
        date_format="day",
    )
    problems = profile_problems(bad)
    assert "the profile needs a name" in problems
    assert any(p.startswith("delimiter must be one of") for p in problems)
    assert "date format 'day' has no % field" in problems
    assert "no column is mapped to date and time (or date) of the usage (timestamp)" in problems
    assert "no column is mapped to input or output tokens" in problems
    assert "column 'B': 'input_tokens' cannot be a tag name (a field's name)" in problems
    assert "columns 'A' and 'C' are both mapped to model" in problems
    assert profile_from_mapping(profile_to_mapping(ERP)) == (ERP, [])


def test_a_saved_profile_reads_its_files_by_header(workspace, data_dir, tmp_path):
    """By hand (Haiku 4.5: $1 per 1M input, $5 per 1M output): erp-batch 1M in ($1) + 2M in
    and 0.2M out ($3) = $4; erp-chat 0.5M in = $0.50."""
    path = data_dir / "erp_ai_usage.csv"
    refused = import_file(workspace, path)
    assert refused.status == "rejected" and "import wizard" in refused.message
    save_profile(workspace, ERP)
    assert profile_for(workspace, path) == ERP
    report = import_file(workspace, path)
    assert report.status == "imported", report.problems()
    assert report.format == "mapped-csv" and report.profile == "ERP export"
    assert report.cost == Decimal("4.5")
    rows = {r.group["api_key"]: r.cost for r in cost_report(workspace, "2026-11", ["api_key"]).rows}
    assert rows == {"erp-batch": Decimal(4), "erp-chat": Decimal("0.5")}
    departments = cost_report(workspace, "2026-11", ["tag.department"]).rows
    assert {r.group["tag.department"] for r in departments} == {"Controlling", "Einkauf"}
    assert import_file(workspace, path).status == "skipped"  # the same file again


def test_bad_rows_name_the_files_own_columns(workspace, tmp_path):
    save_profile(workspace, ERP)
    path = tmp_path / "erp_bad.csv"
    path.write_text(
        "Export\nZeit;Modell;Eingabe;Ausgabe;Schlüssel;Abteilung;Notiz\n"
        "2026-11-02 09:15;claude-haiku-4-5;10;0;k;C;\n"
        "02.11.2026 09:15;claude-haiku-4-5;many;0;k;C;\n",
        encoding="utf-8",
    )
    report = import_file(workspace, path)
    assert report.status == "rejected"
    assert [e.describe(path.name) for e in report.errors] == [
        "erp_bad.csv: line 3, column 'Zeit': not a date in the form %d.%m.%Y %H:%M: "
        "'2026-11-02 09:15'",
        "erp_bad.csv: line 4, column 'Eingabe': not a whole number: 'many'",
    ]


def test_an_exported_policy_with_any_text_reads_back(workspace, tmp_path):
    """Review finding: DEL (U+007F) was written unescaped; TOML readers refuse it."""
    import tomllib

    from exporters.policy_toml import policy_toml

    assert tomllib.loads(policy_toml({"version": 1, "teams": [{"name": "A\x7fB"}]}))


def test_profiles_travel_with_the_policy_file(workspace, tmp_path):
    save_profile(workspace, ERP)
    exported = tmp_path / "policy.toml"
    export_policy_file(workspace, exported)
    text = exported.read_text(encoding="utf-8")
    assert "[[import_profiles]]" in text and '"%d.%m.%Y %H:%M"' in text
    other = tmp_path / "other.cbdesk"
    from app.services.workspaces import create_workspace

    second = create_workspace(other)
    try:
        apply_policy_file(second, exported, allow_empty=True)
        assert profiles(second) == [ERP]
        assert current_document(second).import_profiles == [profile_to_mapping(ERP)]
    finally:
        second.dispose()
    with pytest.raises(ProfileRejected, match="no mapping profile named 'Nope'"):
        profile_named(workspace, "Nope")


def test_the_command_line_names_a_profile(workspace, data_dir, tmp_path):
    save_profile(workspace, ERP)
    path = tmp_path / "erp.csv"
    shutil.copy(data_dir / "erp_ai_usage.csv", path)
    base = [sys.executable, "-m", "app", "--workspace", workspace.location, "import"]
    wrong = subprocess.run([*base, str(path), "--profile", "Nope"], capture_output=True, text=True)
    assert wrong.returncode == 2
    assert "no mapping profile named 'Nope'" in wrong.stderr and "ERP export" in wrong.stderr
    done = subprocess.run(
        [*base, str(path), "--profile", "ERP export", "--json"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)["imports"][0]
    assert report["profile"] == "ERP export" and report["cost"] == "4.50"


def test_a_column_mapped_to_a_tag_is_only_a_tag(workspace, tmp_path):
    """Review finding: a tag named like a gateway column (``id``, ``batch``, ``email``) was read
    as that column — rows sharing an ``ID`` were dropped as duplicate requests. By hand
    (Haiku 4.5, $1 per 1M input): $1 + $2 + $4 = $7, all three rows kept."""
    profile = MappingProfile(
        "Kostenstellen",
        (
            ("Datum", "timestamp"),
            ("Modell", "model"),
            ("Tokens", "input_tokens"),
            ("ID", "tag:id"),
            ("Batch", "tag:batch"),
        ),
    )
    save_profile(workspace, profile)
    path = tmp_path / "kst.csv"
    path.write_text(
        "Datum,Modell,Tokens,ID,Batch\n"
        "2026-11-02,claude-haiku-4-5,1000000,KST-1,yes\n"
        "2026-11-02,claude-haiku-4-5,2000000,KST-1,no\n"
        "2026-11-02,claude-haiku-4-5,4000000,KST-2,no\n",
        encoding="utf-8",
    )
    report = import_file(workspace, path)
    assert report.status == "imported", report.problems()
    assert report.cost == Decimal(7) and report.duplicates_skipped == 0
    rows = {r.group["tag.id"]: r.cost for r in cost_report(workspace, "2026-11", ["tag.id"]).rows}
    assert rows == {"KST-1": Decimal(3), "KST-2": Decimal(4)}


def test_the_header_line_is_counted_the_same_way_everywhere(workspace, tmp_path):
    """Review finding: a quoted title over two lines made the preview count records and the
    import count lines, so they read different headers."""
    path = tmp_path / "titled.csv"
    path.write_text(
        '"Usage export,\nNovember"\nwhen,model,input_tokens\n2026-11-02,claude-haiku-4-5,10\n',
        encoding="utf-8",
    )
    assert preview_rows(path, ",", "utf-8", 3)[0] == ["when", "model", "input_tokens"]


def test_a_new_profile_needs_a_name_not_taken(workspace, data_dir):
    """Review finding: a second layout saved under the same name replaced the first, and the
    two then shared one source (their days replacing each other's lines)."""
    from dataclasses import replace

    from app.services.file_mapping import draft_for

    save_profile(workspace, replace(ERP, name="erp ai usage"))
    draft = draft_for(workspace, data_dir / "erp_ai_usage.csv")
    assert draft.name == "erp ai usage" and draft.taken == ("erp ai usage",)
    assert draft.problems()[0].startswith("a profile named 'erp ai usage' is already saved")
    assert not replace(draft, name="ERP, second layout").problems()[0].startswith("a profile")
