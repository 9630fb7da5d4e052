"""The A4/A5 poster for a counter: a large QR code that opens the survey form for this service
point, with instructions in Vietnamese for people who have never scanned one."""

from __future__ import annotations

import io

from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas as pdfcanvas

from hailong.core.pdf import SANS, SANS_BOLD, register_fonts
from hailong.organisation.models import ServicePoint

BRAND = colors.HexColor("#0b3d6e")


def _centered(
    c,
    text: str,
    font: str,
    size: float,
    y: float,
    width: float,
    max_width: float,
    leading: float | None = None,
) -> float:
    """Draw wrapped, centred text from y downwards; return the y below it."""
    leading = leading or size * 1.25
    for line in simpleSplit(text, font, size, max_width):
        c.setFont(font, size)
        c.drawCentredString(width / 2, y, line)
        y -= leading
    return y


def poster_pdf(point: ServicePoint, url: str, *, size: str = "A4") -> bytes:
    """One page: title, unit and counter, the QR code of `url`, three steps, the address."""
    with translation.override("vi"):
        return _poster_pdf(point, url, size)


def _poster_pdf(point: ServicePoint, url: str, size: str) -> bytes:
    register_fonts()
    page = A5 if size == "A5" else A4
    width, height = page
    scale = width / A4[0]
    buffer = io.BytesIO()
    c = pdfcanvas.Canvas(buffer, pagesize=page)
    c.setTitle(_("Survey poster – %(point)s") % {"point": point.name})
    margin = 15 * mm * scale
    usable = width - 2 * margin

    c.setFillColor(BRAND)
    c.rect(0, height - 38 * mm * scale, width, 38 * mm * scale, stroke=0, fill=1)
    c.setFillColor(colors.white)
    y = _centered(
        c,
        _("HOW SATISFIED ARE YOU?"),
        SANS_BOLD,
        26 * scale,
        height - 18 * mm * scale,
        width,
        usable,
    )
    _centered(
        c,
        _("Your opinion helps us serve you better"),
        SANS,
        13 * scale,
        y - 2 * scale,
        width,
        usable,
    )

    c.setFillColor(colors.black)
    y = height - 50 * mm * scale
    y = _centered(c, point.unit.name, SANS_BOLD, 16 * scale, y, width, usable)
    y = _centered(c, point.name, SANS, 13 * scale, y - 1 * mm, width, usable)

    qr_size = 110 * mm * scale
    widget = QrCodeWidget(url, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(
        qr_size, qr_size, transform=[qr_size / (x1 - x0), 0, 0, qr_size / (y1 - y0), 0, 0]
    )
    drawing.add(widget)
    qr_top = y - 4 * mm * scale
    renderPDF.draw(drawing, c, (width - qr_size) / 2, qr_top - qr_size)

    y = qr_top - qr_size - 8 * mm * scale
    steps = [
        _("1. Open the camera of your phone and point it at the code."),
        _("2. Tap the link that appears. The form opens; no app or account is needed."),
        _("3. Answer the questions (about 3 minutes) and press “Send”."),
    ]
    c.setFont(SANS, 13 * scale)
    for step in steps:
        for line in simpleSplit(step, SANS, 13 * scale, usable - 20 * mm * scale):
            c.drawString(margin + 10 * mm * scale, y, line)
            y -= 17 * scale
        y -= 4 * scale
    y -= 4 * scale
    y = _centered(
        c,
        _(
            "The form is anonymous. Your name and phone number are asked only if you "
            "want us to contact you."
        ),
        SANS,
        10.5 * scale,
        y,
        width,
        usable,
    )
    c.setFillColor(colors.HexColor("#333333"))
    _centered(
        c,
        _("Or type this address: %(url)s") % {"url": url},
        SANS,
        9 * scale,
        margin + 4 * mm * scale,
        width,
        usable,
    )
    c.showPage()
    c.save()
    return buffer.getvalue()
