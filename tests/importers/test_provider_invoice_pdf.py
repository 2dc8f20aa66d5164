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
        "credits": "0",
        "tax": "0.00",
        # The invoice's Total: the $200 of prepaid balance applied to it is a payment, not a
        # price (found in review: as a credit it became a false true-up discount).
        "total": "13200.00",
        "currency": "USD",
    }


def test_without_a_service_period_the_month_is_not_guessed(tmp_path):
    """Found in review: the month before the date of issue was assumed, which books a
    mid-month threshold invoice to the wrong month."""
    path = write_pdf(tmp_path, "jan.pdf", stripe_invoice(issued="January 2, 2027", period=""))
    with pytest.raises(FileRejected, match="no service period"):
        read_with(ProviderInvoicePdfImporter(), path)


def test_tax_and_a_credit_note_before_the_total(tmp_path):
    content = stripe_invoice(
        items=(("Claude API usage", "$1,000.00"),),
        summary=(
            ("Subtotal", "$1,000.00"),
            ("Credit note CN-0042", "-$100.00"),
            ("Sales tax (8%)", "$72.00"),
            ("Total", "$972.00"),
            ("Amount due", "$972.00"),
        ),
    )
    row = _row(write_pdf(tmp_path, "tax.pdf", content))
    assert (row["tax"], row["credits"], row["total"], row["discount"]) == (
        "72.00",
        "-100.00",
        "972.00",
        "0",
    )


@pytest.mark.parametrize(
    ("amount", "currency"), [("€1,000.00", "EUR"), ("CA$1,000.00", "CAD"), ("$1,000.00 CAD", "CAD")]
)
def test_an_invoice_in_another_currency_is_refused(tmp_path, amount, currency):
    """Found in review: any $ was read as USD, and a total in another currency would have been
    used as dollars."""
    content = stripe_invoice(
        items=(("Claude API usage", amount),),
        summary=(("Subtotal", amount), ("Total", amount), ("Amount due", amount)),
    )
    with pytest.raises(FileRejected, match=f"the invoice is in {currency}"):
        read_with(ProviderInvoicePdfImporter(), write_pdf(tmp_path, "other.pdf", content))


def test_an_invoice_that_does_not_add_up_is_refused(tmp_path):
    content = stripe_invoice(
        summary=(
            ("Subtotal", "$15,000.00"),
            ("Total", "$13,200.00"),
            ("Amount due", "$13,200.00"),
        )
    )
    with pytest.raises(
        FileRejected, match=r"subtotal \+ discounts \+ credits \+ tax \(15000.00\) do not"
    ):
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
    assert reconcile(workspace, "2026-10").provider_total == Decimal("13200.00")


def test_a_second_invoice_of_a_month_does_not_replace_the_first(workspace, tmp_path, data_dir):
    """Found in review: a threshold invoice of the same month replaced the first one, and the
    true-up then spread a false credit over the teams."""
    from app.services.importing import import_file

    assert import_file(workspace, data_dir / "provider_invoice_stripe.pdf").status == "imported"
    second = write_pdf(tmp_path, "second.pdf", stripe_invoice(number="7F3A2C1B-0012"))
    refused = import_file(workspace, second)
    assert refused.status == "rejected"
    assert "already has provider invoice 7F3A2C1B-0011" in refused.message
