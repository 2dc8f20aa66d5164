"""The provider's invoice as a PDF in a Stripe-style layout (see :mod:`invoice_pdfs`)."""

from decimal import Decimal

import pytest

from importers import detect_path
from importers.base import FileRejected
from importers.provider_invoice_pdf import ProviderInvoicePdfImporter
from tests.importers.helpers import read_with
from tests.importers.invoice_pdfs import pdf_bytes, stripe_invoice, write_pdf


def _row(path):
    data, ctx = read_with(ProviderInvoicePdfImporter(), path)
    assert ctx.errors == []
    return data.frame.iloc[0].to_dict()


def test_the_sample_invoice_is_read_whole(data_dir):
    path = data_dir / "provider_invoice_stripe.pdf"
    assert isinstance(detect_path(path)[1], ProviderInvoicePdfImporter)
    assert _row(path) == {
        "period": "2026-10",
        "invoice_number": "7F3A2C1B-0011",
        "subtotal": "15000.00",
        "discount": "-1800.00",
        "credits": "-200.00",
        "tax": "0.00",
        "total": "13000.00",  # what was charged: the amount due after credits
        "currency": "USD",
    }


def test_without_a_service_period_the_month_before_the_issue_date_is_billed(tmp_path):
    path = write_pdf(tmp_path, "jan.pdf", stripe_invoice(issued="January 2, 2027", period=""))
    assert _row(path)["period"] == "2026-12"


def test_tax_and_no_credits(tmp_path):
    content = stripe_invoice(
        items=(("Claude API usage", "€1,000.00"),),
        summary=(
            ("Subtotal", "€1,000.00"),
            ("VAT (20%)", "€200.00"),
            ("Total", "€1,200.00"),
            ("Amount due", "€1,200.00"),
        ),
    )
    row = _row(write_pdf(tmp_path, "eu.pdf", content))
    assert (row["tax"], row["total"], row["currency"], row["discount"]) == (
        "200.00",
        "1200.00",
        "EUR",
        "0",
    )


def test_an_invoice_that_does_not_add_up_is_refused(tmp_path):
    content = stripe_invoice(
        summary=(
            ("Subtotal", "$15,000.00"),
            ("Total", "$13,200.00"),
            ("Amount due", "$13,200.00"),
        )
    )
    with pytest.raises(FileRejected, match=r"subtotal \+ discounts \+ tax \(15000.00\) do not"):
        read_with(ProviderInvoicePdfImporter(), write_pdf(tmp_path, "bad.pdf", content))


def test_line_items_must_add_up_to_the_subtotal(tmp_path):
    content = stripe_invoice(items=(("Claude API usage", "$12,400.00"),))
    with pytest.raises(FileRejected, match=r"the line items \(12400.00\) do not add up"):
        read_with(ProviderInvoicePdfImporter(), write_pdf(tmp_path, "short.pdf", content))


def test_another_layout_gets_a_clear_message_pointing_to_the_csv(tmp_path):
    letter = pdf_bytes([(50, 700, 12, "Dear customer, thank you for your order.")])
    with pytest.raises(FileRejected, match=r"not an invoice layout.*as CSV \(period, invoice_"):
        read_with(ProviderInvoicePdfImporter(), write_pdf(tmp_path, "letter.pdf", letter))
    with pytest.raises(FileRejected, match="no text: a scan"):
        read_with(ProviderInvoicePdfImporter(), write_pdf(tmp_path, "scan.pdf", pdf_bytes([])))


def test_a_pdf_invoice_becomes_the_months_provider_total(workspace, data_dir):
    from app.services.importing import import_file
    from app.services.reconciliation import reconcile

    report = import_file(workspace, data_dir / "provider_invoice_stripe.pdf")
    assert (report.status, report.format) == ("imported", "provider-invoice-pdf")
    assert reconcile(workspace, "2026-10").provider_total == Decimal("13000.00")
