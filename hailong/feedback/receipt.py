"""The receipt (giấy tiếp nhận) of a case, as a one-page A4 PDF in the layout of an official
Vietnamese document: the agency and the national motto at the top, the place and date, the
title, what was received, the deadline and how to follow the case (code and QR code)."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from hailong.core.pdf import SERIF, SERIF_BOLD, register_fonts
from hailong.core.periods import LOCAL_TZ
from hailong.feedback.models import Case, CaseKind
from hailong.organisation.models import Unit


def receiving_unit(case: Case) -> Unit:
    """The body that received the case and issues the receipt. A denunciation is received above
    the unit it is about (Luật Tố cáo 2018 art. 12–13, as `case_receive` routes it): its receipt
    must never be issued in the name of the unit denounced."""
    if case.kind == CaseKind.DENUNCIATION:
        return case.unit.parent or case.unit
    return case.unit


def _agency(unit: Unit) -> Unit:
    """The top of the unit's branch: the agency whose name heads the document."""
    first = unit.path.strip("/").split("/")[0]
    return Unit.objects.filter(pk=int(first)).first() or unit


def receipt_title(case: Case) -> str:
    """What was received, under "GIẤY TIẾP NHẬN": each kind is a different procedure in law
    (a tố cáo is not a PAKN), so the receipt names the one it is."""
    return {
        CaseKind.DENUNCIATION: _("of a denunciation"),
        CaseKind.COMPLAINT: _("of a complaint"),
        CaseKind.PAKN: _("of a report or recommendation"),
    }.get(case.kind, _("of praise"))


def receipt_heading(case: Case) -> tuple[str, str]:
    """The two lines at the top left: the agency, and the receiving unit when it is not the
    agency itself."""
    receiver = receiving_unit(case)
    agency = _agency(receiver)
    return agency.name.upper(), receiver.name if receiver != agency else ""


def receipt_place_and_date(case: Case) -> str:
    """ "Vĩnh Cửu, ngày 01 tháng 12 năm 2026": the place name (địa danh) of the receiving body,
    then the day it received the case (NĐ 30/2020, Phụ lục I). Without a place name in its
    branch, the date alone."""
    day = _("%(day)02d/%(month)02d/%(year)d") % {
        "day": case.received_on.day,
        "month": case.received_on.month,
        "year": case.received_on.year,
    }
    place = receiving_unit(case).place_name_of()
    return _("%(place)s, %(date)s") % {"place": place, "date": day} if place else day


def receipt_pdf(case: Case, *, lookup_url: str, show_identity: bool) -> bytes:
    """`show_identity`: the person's name is printed for the desk's copy; the copy a browser
    downloads from the public pages leaves it off (anyone holding the code could open it)."""
    with translation.override("vi"):
        return _receipt_pdf(case, lookup_url, show_identity)


def _receipt_pdf(case: Case, lookup_url: str, show_identity: bool) -> bytes:
    register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=30 * mm,  # NĐ 30/2020: left margin 30–35 mm, right 15–20 mm
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=_("Receipt of case %(code)s") % {"code": case.code},
    )
    base = ParagraphStyle("base", fontName=SERIF, fontSize=13, leading=17, alignment=TA_LEFT)
    centre = ParagraphStyle("centre", parent=base, alignment=TA_CENTER)
    centre_bold = ParagraphStyle("centreb", parent=centre, fontName=SERIF_BOLD)
    # The heading block of an administrative document is set in 12–13 pt (NĐ 30/2020).
    head = ParagraphStyle("head", parent=centre, fontSize=12, leading=15)
    head_bold = ParagraphStyle("headb", parent=head, fontName=SERIF_BOLD)
    title = ParagraphStyle("title", parent=centre_bold, fontSize=15, leading=20, spaceAfter=6)
    small = ParagraphStyle("small", parent=base, fontSize=11, leading=14)

    agency_line, unit_line = receipt_heading(case)
    header = Table(
        [
            [
                Paragraph(escape(agency_line), head_bold),
                Paragraph("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", head_bold),
            ],
            [
                Paragraph(escape(unit_line), head),
                Paragraph("<u>Độc lập - Tự do - Hạnh phúc</u>", head_bold),
            ],
            [
                Paragraph(_("No.: %(code)s") % {"code": case.code}, head),
                Paragraph(f"<i>{escape(receipt_place_and_date(case))}</i>", head),
            ],
        ],
        colWidths=[52 * mm, 108 * mm],
    )
    header.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    rows = receipt_rows(case, show_identity=show_identity)
    details = Table(
        [[Paragraph(escape(str(k)), small), Paragraph(str(v), base)] for k, v in rows],
        colWidths=[45 * mm, 115 * mm],
    )
    details.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#bbbbbb")),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    qr = QrCodeWidget(lookup_url)
    x1, y1, x2, y2 = qr.getBounds()
    side = 32 * mm
    drawing = Drawing(side, side, transform=[side / (x2 - x1), 0, 0, side / (y2 - y1), 0, 0])
    drawing.add(qr)
    follow = Table(
        [
            [
                drawing,
                Paragraph(
                    escape(
                        _(
                            "To follow your case, scan the code or open %(url)s and enter the "
                            "tracking code%(phone)s."
                        )
                        % {
                            "url": lookup_url.split("?")[0],
                            "phone": _(" and the last 4 digits of your phone number")
                            if case.pin_is_phone
                            else _(" and the PIN above")
                            if case.lookup_pin
                            else "",
                        }
                    ),
                    base,
                ),
            ]
        ],
        colWidths=[38 * mm, 122 * mm],
    )
    follow.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    story = [
        header,
        Spacer(1, 10 * mm),
        Paragraph(_("RECEIPT"), title),
        Paragraph(escape(receipt_title(case)), centre_bold),
        Spacer(1, 6 * mm),
        details,
        Spacer(1, 8 * mm),
        follow,
        Spacer(1, 8 * mm),
        Paragraph(
            escape(
                _("Printed on %(moment)s.")
                % {"moment": timezone.now().astimezone(LOCAL_TZ).strftime("%H:%M %d/%m/%Y")}
            ),
            small,
        ),
    ]
    doc.build(story)
    return buffer.getvalue()


def receipt_rows(case: Case, *, show_identity: bool) -> list[tuple[str, str]]:
    """What the receipt says, as (label, value in reportlab markup) pairs."""
    received = case.received_at.astimezone(LOCAL_TZ)
    rows = [
        (_("Tracking code"), f"<b>{case.code}</b>"),
        (_("Received at"), received.strftime("%H:%M, %d/%m/%Y")),
        (_("Channel"), escape(case.get_channel_display())),
        (_("Kind"), escape(case.get_kind_display())),
        (_("Subject"), escape(case.title)),
        (_("Unit concerned"), escape(case.unit.name)),
    ]
    if case.service_id:
        rows.append((_("Procedure"), escape(f"{case.service.code} {case.service.name}")))
    if case.dossier_code:
        rows.append((_("Dossier code"), escape(case.dossier_code)))
    if show_identity:
        rows.append((_("From"), escape(case.contact_name) if case.contact_name else _("Anonymous")))
    if case.lookup_pin and not case.pin_is_phone:
        rows.append((_("PIN for looking it up"), f"<b>{case.lookup_pin}</b>"))
    due = case.accept_due_on or case.answer_due_on
    if due:
        rows.append(
            (
                _("Acceptance decided by") if case.accept_due_on else _("Answer due by"),
                due.strftime("%d/%m/%Y"),
            )
        )
    attachments = case.attachments.count()
    if attachments:
        rows.append((_("Attached files"), str(attachments)))
    return rows
