"""The printed paper form of a print run: one A4 sheet per serial number, as a PDF.

The form is laid out in the order the entry screen asks (item by item, as in the version), with
the ISO document-control block (form code, edition, issue date) and the consent text, as HD.07's
other controlled forms are."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from hailong.core.pdf import SANS, SERIF, SERIF_BOLD, register_fonts
from hailong.organisation.models import Unit
from hailong.surveys.models import PaperBatch
from hailong.surveys.schema import schema_for
from hailong.surveys.selectors.paper import format_serial

BOX = "☐"


class _SerialMark(Flowable):
    """Zero-size marker: tells the page footer which sheet it is printing."""

    def __init__(self, state: dict, serial: str):
        super().__init__()
        self.state, self.serial = state, serial
        self.width = self.height = 0

    def draw(self):
        self.state["serial"] = self.serial
        self.state["sheet_page"] = 0


def _styles():
    register_fonts()
    base = ParagraphStyle("base", fontName=SERIF, fontSize=10.5, leading=13.5)
    return {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=10.5),
        "agency": ParagraphStyle(
            "agency",
            parent=base,
            fontName=SERIF_BOLD,
            fontSize=10,
            alignment=TA_CENTER,
            leading=12.5,
        ),
        "title": ParagraphStyle(
            "title",
            parent=base,
            fontName=SERIF_BOLD,
            fontSize=13,
            leading=16.5,
            alignment=TA_CENTER,
            spaceBefore=6,
            spaceAfter=4,
        ),
        "intro": ParagraphStyle(
            "intro",
            parent=base,
            fontSize=10,
            alignment=TA_CENTER,
            textColor=colors.HexColor("#222222"),
        ),
        "section": ParagraphStyle("section", parent=base, fontName=SERIF_BOLD, fontSize=10.5),
        "box": ParagraphStyle("box", parent=base, fontName=SANS, fontSize=9.5, leading=13),
        "serial": ParagraphStyle("serial", parent=base, fontName=SERIF_BOLD, fontSize=11),
    }


def _p(text: str, style) -> Paragraph:
    return Paragraph(escape(text), style)


def _agency_name(unit: Unit | None) -> str:
    """The top of the unit's tree: the agency that issues the form (ỦY BAN NHÂN DÂN ...)."""
    if unit is None:
        return ""
    top_id = int(unit.path.strip("/").split("/")[0])
    top = unit if unit.pk == top_id else Unit.objects.filter(pk=top_id).first()
    return (top.name if top else unit.name).upper()


def _header(version, serial: str, unit: Unit | None, st) -> list:
    q = version.questionnaire
    issued = version.issued_on.strftime("%d/%m/%Y") if version.issued_on else "—"
    control = Table(
        [
            [_p(_("Form code: %(code)s") % {"code": q.form_code or q.code.upper()}, st["small"])],
            [_p(_("Edition: %(n)02d") % {"n": version.edition}, st["small"])],
            [_p(_("Issued on: %(date)s") % {"date": issued}, st["small"])],
        ],
        colWidths=[48 * mm],
        style=TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.6, colors.black),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        ),
    )
    agency = [_p(_agency_name(unit), st["agency"])]
    if unit is not None and unit.depth > 0:
        agency.append(_p(unit.name.upper(), st["agency"]))
    top = Table(
        [[agency, control]],
        colWidths=[118 * mm, 52 * mm],
        style=TableStyle(
            [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]
        ),
    )
    fill = "." * 40
    return [
        top,
        Spacer(1, 2 * mm),
        _p(_("Sheet no. %(serial)s") % {"serial": serial}, st["serial"]),
        Paragraph(escape(version.title_vi), st["title"]),
        _p(version.intro_vi, st["intro"]) if version.intro_vi else Spacer(1, 0),
        Spacer(1, 2 * mm),
        _p(
            _("Procedure: %(fill)s  Dossier code: %(fill2)s") % {"fill": fill, "fill2": "." * 30},
            st["base"],
        ),
        # The day the citizen fills the sheet in: the clerk copies it into paper entry ("Date on
        # the sheet"), and the response counts on that day, not on the day it is typed.
        _p(
            _("Date of the assessment: %(day)s/%(month)s/20%(year)s")
            % {"day": "." * 8, "month": "." * 8, "year": "." * 6},
            st["base"],
        ),
        Spacer(1, 2 * mm),
    ]


def _scale_table(items, st, with_na: bool) -> Table:
    header = ["", _("Criterion"), "1", "2", "3", "4", "5"] + ([_("N/A")] if with_na else [])
    rows = [[_p(h, st["small"]) for h in header]]
    for item in items:
        boxes = [_p(BOX, st["box"]) for _ in range(5)]
        if with_na:
            boxes.append(_p(BOX if item.allow_na else "", st["box"]))
        rows.append([_p(item.code, st["small"]), _p(item.text_vi, st["base"]), *boxes])
    widths = (
        [11 * mm, (110 if with_na else 122) * mm] + [9 * mm] * 5 + ([12 * mm] if with_na else [])
    )
    return Table(
        rows,
        colWidths=widths,
        repeatRows=1,
        style=TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#555555")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (2, 0), (-1, -1), "CENTER"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        ),
    )


def _label(item) -> str:
    """Criteria keep their code (TC1…) as on the entry screen; other questions are plain."""
    return f"{item.code}. {item.text_vi}" if item.section else item.text_vi


def _choice_block(item, st) -> list:
    label = _label(item)
    if item.kind == "multi" and not item.max_value:
        label += " " + _("(tick all that apply)")
    labels = [f"{BOX} {o.label_vi}" for o in item.options]
    if max(len(x) for x in labels) <= 28:  # short choices side by side, long ones one per line
        choices = [_p("\u2003\u2003".join(labels), st["box"])]
    else:
        rows = [
            labels[i : i + 2] + [""] * (2 - len(labels[i : i + 2]))
            for i in range(0, len(labels), 2)
        ]
        choices = [
            Table(
                [[_p(c, st["box"]) for c in row] for row in rows],
                colWidths=[85 * mm, 85 * mm],
                style=TableStyle(
                    [
                        ("LEFTPADDING", (0, 0), (-1, -1), 0),
                        ("TOPPADDING", (0, 0), (-1, -1), 0.5),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5),
                    ]
                ),
            )
        ]
    return [
        KeepTogether(
            [
                _p(label, st["section"] if not item.is_profile else st["base"]),
                *choices,
                Spacer(1, 2 * mm),
            ]
        )
    ]


def _writing_lines(count: int) -> Table:
    return Table(
        [[""] for _ in range(count)],
        colWidths=[170 * mm],
        rowHeights=[7 * mm] * count,
        style=TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#777777"))]),
    )


def _text_block(item, st) -> list:
    return [
        KeepTogether(
            [
                _p(_label(item), st["section"]),
                _writing_lines(1 if item.kind == "number" else 3),
                Spacer(1, 3 * mm),
            ]
        )
    ]


def _sheet(version, schema, serial: str, unit, st, state) -> list:
    story: list = [_SerialMark(state, serial), *_header(version, serial, unit, st)]
    scale_legend = _(
        "1 = Very dissatisfied · 2 = Dissatisfied · 3 = Neutral · 4 = Satisfied · "
        "5 = Very satisfied · N/A = not applicable. Tick one box per line."
    )
    titles = {s.code: s.title_vi for s in version.sections.all()}
    pending: list = []  # consecutive 5-point items share one table
    section = None

    def flush():
        if pending:
            story.append(_scale_table(pending, st, any(i.allow_na for i in pending)))
            story.append(Spacer(1, 2 * mm))
            pending.clear()

    legend_shown = False
    profile_started = False
    for item in schema.items:
        if item.section != section:
            flush()
            section = item.section
            if section:
                story.append(CondPageBreak(30 * mm))
                story.append(_p(f"{section}. {titles.get(section, '')}", st["section"]))
        if item.is_profile and not profile_started:
            flush()
            profile_started = True
            story.append(_p(_("ABOUT YOU (optional)"), st["section"]))
        if item.kind == "scale5" and not item.is_profile:
            if not legend_shown:
                story.insert(len(story) - (1 if section else 0), _p(scale_legend, st["small"]))
                legend_shown = True
            pending.append(item)
            continue
        flush()
        story += (
            _text_block(item, st) if item.kind in ("text", "number") else _choice_block(item, st)
        )
    flush()
    consent = version.consent_vi
    story += [
        Spacer(1, 2 * mm),
        KeepTogether(
            [
                _p(_("If you wish to be contacted (optional):"), st["section"]),
                _p(
                    _("Name: %(fill)s  Phone: %(fill2)s") % {"fill": "." * 50, "fill2": "." * 30},
                    st["base"],
                ),
                _p(f"{BOX} {consent}", st["box"]) if consent else Spacer(1, 0),
            ]
        ),
        Spacer(1, 3 * mm),
        Paragraph(escape(_("Thank you very much for your opinion!")), st["title"]),
        PageBreak(),
    ]
    return story


def paper_forms_pdf(batch: PaperBatch) -> bytes:
    """All sheets of a print run in one PDF, each with its serial number. Always Vietnamese:
    the sheet is for citizens, whatever language the clerk who prints it uses."""
    with translation.override("vi"):
        return _paper_forms_pdf(batch)


def _paper_forms_pdf(batch: PaperBatch) -> bytes:
    st = _styles()
    version = batch.version
    schema = schema_for(version)
    state = {"serial": "", "sheet_page": 0}
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=version.title_vi,
        author="Hài Lòng",
        subject=f"{version.questionnaire.form_code} {format_serial(batch.first_serial)}",
    )

    def footer(canvas, _doc):
        state["sheet_page"] += 1
        canvas.saveState()
        canvas.setFont(SERIF, 8)
        q = version.questionnaire
        canvas.drawString(20 * mm, 8 * mm, f"{q.form_code or q.code.upper()} · v{version.number}")
        canvas.drawRightString(
            A4[0] - 15 * mm,
            8 * mm,
            _("Sheet %(serial)s · page %(page)d")
            % {"serial": state["serial"], "page": state["sheet_page"]},
        )
        canvas.restoreState()

    story: list = []
    for number in range(batch.first_serial, batch.last_serial + 1):
        story += _sheet(version, schema, format_serial(number), batch.unit, st, state)
    story.pop()  # no blank page after the last sheet
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    # The footer is drawn when a page ends, once the sheet's serial marker has been drawn.
    doc.addPageTemplates([PageTemplate(id="sheet", frames=[frame], onPageEnd=footer)])
    doc.build(story)
    return buffer.getvalue()
