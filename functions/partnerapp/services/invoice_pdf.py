"""An invoice as a one-page PDF, written by hand: a handful of PDF objects with a correct
cross-reference table, text in the standard Helvetica font (no font file, no library)."""

from __future__ import annotations

from partnerapp import catalog
from partnerapp.domain.billing import Invoice
from partnerapp.domain.licenses import License
from partnerapp.domain.money import dollars_text
from partnerapp.domain.timestamps import to_wire

LINE_HEIGHT = 18


def invoice_lines(item: License, invoice: Invoice, status: str) -> list[str]:
    """What the page says, line by line: the same figures as the invoice list, in dollars."""
    product = catalog.PRODUCTS[item.product].name
    return [
        f"Invoice {invoice.number} - {product} license {item.license_id}",
        f"Date: {to_wire(invoice.period_start)} UTC",
        f"Client: {item.client_name}",
        f"Plan: {invoice.plan}, billed {invoice.billing_cycle}",
        f"Seats: {invoice.seats_billed} x {dollars_text(invoice.unit_price_cents)} {catalog.CURRENCY}"
        f" ({_seats_note(invoice)})",
        f"Gross: {dollars_text(invoice.gross_cents)} {catalog.CURRENCY}",
        f"Partner discount: {invoice.discount_percent}% (-{dollars_text(invoice.savings_cents)})",
        f"Amount: {dollars_text(invoice.total_cents)} {catalog.CURRENCY}",
        f"Status: {status}. Computed by Partner App; no card is charged here.",
    ]


def _seats_note(invoice: Invoice) -> str:
    if invoice.seats_subscribed is None:
        return "seats used"
    return f"seats used, of {invoice.seats_subscribed} subscribed"


def _text(line: str) -> str:
    """A PDF string literal: Latin-1 only (Helvetica's encoding), with \\, ( and ) escaped."""
    safe = line.encode("latin-1", "replace").decode("latin-1")
    return "(" + safe.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def pdf_document(lines: list[str]) -> bytes:
    """A valid single-page PDF (A4) showing `lines` from the top."""
    commands = ["BT", "/F1 12 Tf", f"{LINE_HEIGHT} TL", "56 780 Td"]
    commands += [f"{_text(line)} Tj T*" for line in lines]
    commands.append("ET")
    stream = "\n".join(commands).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref_at)
    return bytes(out)


def invoice_pdf(item: License, invoice: Invoice, status: str) -> bytes:
    return pdf_document(invoice_lines(item, invoice, status))
