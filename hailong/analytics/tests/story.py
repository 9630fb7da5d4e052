"""The dashboard's story (see test_dashboard_http.py), shared with the browser test."""

from __future__ import annotations

from datetime import date, datetime

from conftest import sipas_answers
from hailong.core.periods import LOCAL_TZ
from hailong.feedback.deadlines import install_default_rules
from hailong.feedback.intake import CaseIntake
from hailong.feedback.models import Case
from hailong.feedback.services import case_receive
from hailong.surveys.services.responses import Submission, responses_store


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=LOCAL_TZ)


def sipas_form(org, sipas, day, score, *, unit, channel="paper", service=None, comment=None):
    answers = sipas_answers(score)
    if comment is not None:
        answers["YK"] = comment
    responses_store(
        [
            Submission(
                version=sipas,
                unit=unit,
                service=service,
                channel=channel,
                answers=answers,
                submitted_at=at(day),
            )
        ]
    )


def quick_form(org, nhanh, day, rating, reasons=(), comment=""):
    answers = {"DG": str(rating)}
    if reasons:
        answers["LD"] = list(reasons)
    if comment:
        answers["YK"] = comment
    responses_store(
        [
            Submission(
                version=nhanh,
                unit=org.unit_a,
                channel="kiosk",
                answers=answers,
                submitted_at=at(day),
            )
        ]
    )


def pakn(org, *, unit, answered_on, rating):
    install_default_rules()
    case, _created = case_receive(
        CaseIntake(
            kind="pakn",
            channel="desk",
            unit=unit,
            title="Cán bộ hẹn trả kết quả nhiều lần",
            content="Tôi đã đến ba lần mà chưa nhận được kết quả.",
            received_at=at(date(2026, 7, 1), 9),
        ),
        actor=None,
    )
    Case.objects.filter(pk=case.pk).update(
        status="closed", answered_on=answered_on, due_on=None, rating=rating
    )


def build_story(org, sipas, nhanh):
    sipas_form(org, sipas, date(2026, 7, 10), 5, unit=org.unit_a)
    sipas_form(org, sipas, date(2026, 8, 3), 4, unit=org.unit_a)
    sipas_form(
        org, sipas, date(2026, 8, 20), 2, unit=org.unit_a, comment="Chờ đợi lâu, hướng dẫn chưa rõ"
    )
    for day, score in ((date(2026, 9, 1), 4), (date(2026, 9, 2), 4), (date(2026, 9, 3), 5)):
        sipas_form(org, sipas, day, score, unit=org.unit_a1, channel="web", service=org.service_a)
    sipas_form(org, sipas, date(2026, 7, 15), 4, unit=org.unit_b)
    sipas_form(org, sipas, date(2026, 8, 25), 1, unit=org.unit_b, comment="Thái độ chưa tốt")
    # Quý II/2026
    sipas_form(org, sipas, date(2026, 6, 5), 5, unit=org.unit_a)
    sipas_form(org, sipas, date(2026, 6, 6), 1, unit=org.unit_a)
    # The quick form at the kiosk
    quick_form(org, nhanh, date(2026, 9, 10), 1, ("CHO", "THAIDO"), "Phải chờ quá lâu")
    quick_form(org, nhanh, date(2026, 9, 11), 1, ("CHO",))
    quick_form(org, nhanh, date(2026, 9, 12), 3)
    quick_form(org, nhanh, date(2026, 9, 13), 2)
    # PAKN: answer due 10 working days after 01/07/2026 (15/07)
    pakn(org, unit=org.unit_a, answered_on=date(2026, 7, 6), rating=3)
    pakn(org, unit=org.unit_a, answered_on=date(2026, 8, 20), rating=1)
    pakn(org, unit=org.unit_a, answered_on=date(2026, 7, 10), rating=2)
    pakn(org, unit=org.unit_b, answered_on=date(2026, 7, 8), rating=3)
    return org
