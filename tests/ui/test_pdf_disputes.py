"""A PDF invoice lists the team's open disputes under its lines."""

from __future__ import annotations

from app.ui.pdf_invoices import InvoiceContext, invoice_html

DOCUMENT = {
    "period": "2026-10",
    "currency": "USD",
    "status": "final",
    "billing": "chargeback",
    "invoices": [
        {
            "team": "Web",
            "number": "CB-202610-WEB",
            "cost_center": "",
            "lines": [
                {"kind": "usage", "label": "claude-haiku-4-5", "amount": "4.00", "trail": []}
            ],
            "total": "4.00",
        }
    ],
}


def _dispute():
    return {
        "dispute": "D-2",
        "period": "2026-09",
        "team": "Web",
        "document": "CB-202609-WEB",
        "line": "claude-haiku-4-5",
        "amount": "1.25",
        "raised_by": "Dana <Web lead>",
        "reason": "staging traffic",
        "status": "open",
    }


def test_open_disputes_are_listed_under_the_lines_escaped():
    page = invoice_html(
        DOCUMENT,
        DOCUMENT["invoices"][0],
        InvoiceContext("Acme", "Issued", "no budget set", open_disputes=(_dispute(),)),
    )
    assert "<b>Open disputes</b>" in page
    assert (
        "D-2: $1.25 of claude-haiku-4-5 on CB-202609-WEB, raised by Dana &lt;Web lead&gt;: "
        "staging traffic" in page
    )


def test_without_open_disputes_the_page_says_nothing_of_them():
    page = invoice_html(
        DOCUMENT, DOCUMENT["invoices"][0], InvoiceContext("Acme", "Issued", "no budget set")
    )
    assert "dispute" not in page.lower()
