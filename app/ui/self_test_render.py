"""The GUI part of ``--self-test``: open the demo workspace offscreen, render every page of
the window (and so every kind of chart) to a PNG, and write the month's PDF invoices."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

PDF_PERIOD = "2026-10"


def render_every_page(folder: Path, workspace: Path, print_line: Callable[[str], None]) -> bool:
    """Render each page of the window on ``workspace`` to ``folder/page-NAME.png`` and the PDF
    invoices of :data:`PDF_PERIOD`; True when all were written."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from app.services.workspaces import open_workspace
    from app.ui.launch import _application, _settle
    from app.ui.main_window import MainWindow
    from app.ui.pdf_invoices import export_pdf_invoices
    from app.ui.presentation.navigation import PAGES

    app = _application()
    ok = True
    window = MainWindow(remember=False)
    opened = open_workspace(workspace)
    try:
        window.set_workspace(opened)
        window.resize(1280, 800)
        window.show()
        for page in PAGES:
            window.show_page(page.name)
            _settle(app, window)
            png = folder / f"page-{page.name}.png"
            if window.grab().save(str(png), "PNG") and png.stat().st_size > 0:
                print_line(f"ok   page {page.name} renders")
            else:
                print_line(f"FAIL page {page.name} did not render")
                ok = False
        pdf = export_pdf_invoices(opened, PDF_PERIOD, folder / "invoices.pdf")
        if pdf.is_file() and pdf.stat().st_size > 0:
            print_line(f"ok   export pdf: {pdf.stat().st_size:,} bytes")
        else:
            print_line("FAIL export pdf: nothing written")
            ok = False
    finally:
        window.close()
    return ok
