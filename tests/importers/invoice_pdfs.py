"""One-page PDFs with text placed like a Stripe invoice, for the provider invoice importer.

Written by hand (a few PDF objects, Helvetica, WinAnsi text) so the tests know every byte; the
layout follows a Stripe-style invoice: title, invoice number and dates, the amount due, the line
items with their service period, then subtotal, discounts, tax, total, credits and amount due.
"""

from __future__ import annotations

from pathlib import Path

Text = tuple[float, float, float, str]
"""x, y (points from the bottom left), font size, text."""


def pdf_bytes(texts: list[Text]) -> bytes:
    def escaped(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    content = "".join(
        f"BT /F1 {size} Tf {x} {y} Td ({escaped(text)}) Tj ET\n" for x, y, size, text in texts
    ).encode("cp1252")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


def stripe_invoice(
    *,
    number: str = "7F3A2C1B-0011",
    issued: str = "November 1, 2026",
    period: str = "Oct 1 – Oct 31, 2026",
    items: tuple[tuple[str, str], ...] = (
        ("Claude API usage (Opus, Sonnet, Haiku)", "$12,400.00"),
        ("Claude Enterprise seats", "$2,600.00"),
    ),
    summary: tuple[tuple[str, str], ...] = (
        ("Subtotal", "$15,000.00"),
        ("Enterprise agreement discount (12% off)", "-$1,800.00"),
        ("Total excluding tax", "$13,200.00"),
        ("Sales tax (0%)", "$0.00"),
        ("Total", "$13,200.00"),
        ("Applied balance", "-$200.00"),
        ("Amount due", "$13,000.00"),
    ),
) -> bytes:
    texts: list[Text] = [
        (50, 740, 20, "Invoice"),
        (50, 712, 10, "Invoice number"),
        (160, 712, 10, number),
        (50, 698, 10, "Date of issue"),
        (160, 698, 10, issued),
        (50, 684, 10, "Date due"),
        (160, 684, 10, "December 1, 2026"),
        (50, 650, 10, "Anthropic, PBC"),
        (300, 650, 10, "Bill to"),
        (300, 636, 10, "Example Corp"),
        (50, 600, 14, f"{summary[-1][1]} USD due December 1, 2026"),
        (50, 560, 9, "Description"),
        (330, 560, 9, "Qty"),
        (400, 560, 9, "Unit price"),
        (520, 560, 9, "Amount"),
    ]
    y = 540.0
    for description, amount in items:
        texts += [(50, y, 10, description), (330, y, 10, "1"), (400, y, 10, amount)]
        texts += [(520, y, 10, amount), (50, y - 12, 8, period)]
        y -= 34
    for label, amount in summary:
        texts += [(330, y, 10, label), (520, y, 10, amount)]
        y -= 16
    texts.append((50, 60, 8, "Page 1 of 1"))
    return pdf_bytes(texts)


def write_pdf(folder: Path, name: str, content: bytes) -> Path:
    path = folder / name
    path.write_bytes(content)
    return path
