"""PDF invoices: one page per invoice (or one file per team), DRAFT until closed."""

import re
import shutil
import subprocess

import pytest

from app.cli import main
from app.services.demo import build_demo_workspace
from app.services.invoices import invoice_document


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    workspace = build_demo_workspace(tmp_path_factory.mktemp("pdf") / "demo.cbdesk")
    yield workspace
    workspace.dispose()


def pages(path):
    return len(re.findall(rb"/Type\s*/Page[^s]", path.read_bytes()))


def test_combined_pdf_has_a_page_per_invoice(qapp, demo, tmp_path):
    out = tmp_path / "oct.pdf"
    assert (
        main(["-w", demo.location, "export", "pdf", "--period", "2026-10", "--out", str(out)]) == 0
    )
    assert out.read_bytes().startswith(b"%PDF")
    assert pages(out) == len(invoice_document(demo, "2026-10")["invoices"])


def test_one_file_per_team_named_by_number(qapp, demo, tmp_path):
    folder = tmp_path / "july"
    assert (
        main(["-w", demo.location, "export", "pdf", "--period", "2026-07", "--out", str(folder)])
        == 0
    )
    numbers = sorted(f"{i['number']}.pdf" for i in invoice_document(demo, "2026-07")["invoices"])
    assert sorted(p.name for p in folder.iterdir()) == numbers


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler is installed by .ci/run")
def test_pages_render(qapp, demo, tmp_path):
    out = tmp_path / "oct.pdf"
    main(["-w", demo.location, "export", "pdf", "--period", "2026-10", "--out", str(out)])
    subprocess.run(
        ["pdftoppm", "-r", "30", "-png", str(out), str(tmp_path / "page")], check=True, timeout=60
    )
    assert len(list(tmp_path.glob("page-*.png"))) == pages(out)


def test_every_invoice_gets_its_own_file_even_when_names_clash(qapp, workspace, tmp_path):
    """Issue 8: teams whose cleaned names collide overwrote each other; 300 characters failed."""
    from app.services.importing import import_file
    from app.services.policy import apply_policy_file
    from app.ui.pdf_invoices import export_pdf_invoices

    long_name = "Long team name " * 6
    policy = tmp_path / "p.toml"
    policy.write_text(
        'version = 1\n[[teams]]\nname = "R&D"\naliases = ["a"]\ncode = "RD1"\n'
        '[[teams]]\nname = "R+D"\naliases = ["b"]\ncode = "RD2"\n'
        f'[[teams]]\nname = "{long_name}"\naliases = ["c"]\n'
    )
    apply_policy_file(workspace, policy)
    usage = tmp_path / "u.csv"
    usage.write_text(
        "timestamp,request_id,team,model,input_tokens,output_tokens\n"
        + "".join(
            f"2026-10-0{i + 1}T10:00:00Z,r{i},{tag},claude-haiku-4-5,1000000,0\n"
            for i, tag in enumerate("abc")
        )
    )
    import_file(workspace, usage)
    folder = tmp_path / "drafts"
    export_pdf_invoices(workspace, "2026-10", folder)
    files = sorted(p.name for p in folder.iterdir())
    assert len(files) == 3
    assert all(len(name) <= 90 for name in files)
    assert "DRAFT-2026-10-R_D.pdf" in files and "DRAFT-2026-10-R_D-2.pdf" in files


def test_closed_month_pdf_is_byte_identical_later(qapp, workspace, data_dir, tmp_path):
    from app.services.closing import close_period
    from app.services.importing import import_file
    from app.services.prices import set_price
    from app.ui.pdf_invoices import export_pdf_invoices

    import_file(workspace, data_dir / "gateway_requests.csv")
    close_period(workspace, "2026-10")
    first = export_pdf_invoices(workspace, "2026-10", tmp_path / "a.pdf").read_bytes()
    import time

    time.sleep(1.1)  # anything dated "now" would show
    set_price(workspace, {"model": "claude-haiku-4-5", "input": "9", "output": "9"})
    workspace.set_setting("name", "Another name")
    second = export_pdf_invoices(workspace, "2026-10", tmp_path / "b.pdf").read_bytes()
    assert first == second


def test_a_draft_months_invoices_do_not_wait_for_the_finance_packs_usage_facts(
    qapp, demo, tmp_path, monkeypatch
):
    """The PDF of an open month shows invoices and budgets; the usage facts behind the Excel
    pack (a second of work on a big month) are not computed for it."""
    from app.services import export_inputs, insights

    def refused(*args, **kwargs):
        raise AssertionError("usage facts computed for the PDF of a draft")

    monkeypatch.setattr(export_inputs, "usage_facts", refused)
    monkeypatch.setattr(insights, "usage_facts", refused)
    out = tmp_path / "nov.pdf"
    assert (
        main(["-w", demo.location, "export", "pdf", "--period", "2026-11", "--out", str(out)]) == 0
    )
    assert pages(out) == len(invoice_document(demo, "2026-11")["invoices"])


def test_an_invoice_says_when_it_was_issued_who_owns_it_and_its_usage_by_model(qapp, demo):
    """The text of a closed month's invoice page: issue date (the close), department, owner,
    usage by model with tokens, and the trail in words."""
    from app.services.export_inputs import export_inputs
    from app.services.invoices import usage_by_model_of
    from app.ui.pdf_invoices import InvoiceContext, invoice_html

    document = invoice_document(demo, "2026-07")
    inputs = export_inputs(demo, "2026-07")
    data = next(i for i in document["invoices"] if i["team"] == "Data")
    department, owner = inputs.team_details["Data"]
    context = InvoiceContext(
        "Demo",
        "Issued 1 August 2026 (the close)",
        "no budget set",
        department,
        owner,
        usage_by_model_of(inputs.facts)["Data"],
    )
    page = invoice_html(document, data, context)
    assert "Issued 1 August 2026" in page
    assert f"<b>Department:</b> {department}" in page and f"<b>Owner:</b> {owner}" in page
    assert "Usage by model" in page and "Input tokens" in page
    assert "% of the Platform pool $" in page  # the trail, in words
    assert '<th align="right">Amount</th>' in page
