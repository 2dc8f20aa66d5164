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
        main(["-w", str(demo.path), "export", "pdf", "--period", "2026-10", "--out", str(out)]) == 0
    )
    assert out.read_bytes().startswith(b"%PDF")
    assert pages(out) == len(invoice_document(demo, "2026-10")["invoices"])


def test_one_file_per_team_named_by_number(qapp, demo, tmp_path):
    folder = tmp_path / "july"
    assert (
        main(["-w", str(demo.path), "export", "pdf", "--period", "2026-07", "--out", str(folder)])
        == 0
    )
    numbers = sorted(f"{i['number']}.pdf" for i in invoice_document(demo, "2026-07")["invoices"])
    assert sorted(p.name for p in folder.iterdir()) == numbers


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler is installed by .ci/run")
def test_pages_render(qapp, demo, tmp_path):
    out = tmp_path / "oct.pdf"
    main(["-w", str(demo.path), "export", "pdf", "--period", "2026-10", "--out", str(out)])
    subprocess.run(
        ["pdftoppm", "-r", "30", "-png", str(out), str(tmp_path / "page")], check=True, timeout=60
    )
    assert len(list(tmp_path.glob("page-*.png"))) == pages(out)
