"""manage.py generate_data: realistic data through the write path's bulk entry, the rollups
kept by its hooks, the same data for the same seed."""

from __future__ import annotations

from datetime import date, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from hailong.analytics.data_generator import RowMaker, draw, world_for
from hailong.core.periods import LOCAL_TZ
from hailong.feedback.models import Case
from hailong.organisation.models import Service
from hailong.surveys.models import Answer, Dossier, QuestionnaireVersion, Response
from hailong.surveys.schema import schema_for, validate_answers

TODAY = date(2026, 4, 15)
WORLD = {"units": ["A", "B", "C"], "services": {"A": ["1.1", "1.2"], "B": ["2.1"], "C": []}}


def drawn(seed: int, n: int = 300):
    world = world_for(WORLD["units"], WORLD["services"], seed=seed)
    return list(draw(world, n=n, seed=seed, today=TODAY))


def test_the_same_seed_draws_the_same_responses_and_another_seed_others():
    assert drawn(5) == drawn(5)
    assert drawn(5) != drawn(6)


def test_the_draws_span_three_years_of_working_days_in_time_order():
    responses = drawn(5, n=2000)
    days = [r.submitted_at.date() for r in responses]
    assert days == sorted(days)
    assert (days[0], days[-1]) == (date(2023, 4, 17), date(2026, 4, 14))
    assert {d.weekday() for d in days} == {0, 1, 2, 3, 4}


@pytest.mark.django_db
def test_generated_answers_give_the_rows_validation_gives():
    for code in ("sipas", "nhanh"):
        schema = schema_for(QuestionnaireVersion.objects.get(questionnaire__code=code, number=1))
        maker = RowMaker(schema)
        for generated in (r for r in drawn(7, n=600) if r.questionnaire == code):
            validated = validate_answers(schema, generated.answers)
            assert validated.errors == {}
            assert maker.rows(generated.answers) == validated.rows


def generate(*args) -> str:
    out = StringIO()
    call_command("generate_data", "--responses", "2000", "--seed", "3", *args, stdout=out)
    return out.getvalue()


def by(field: str) -> dict:
    return dict(Response.objects.values_list(field).annotate(n=Count("id")).order_by(field))


@pytest.mark.django_db
@pytest.mark.time_machine(datetime(2026, 4, 15, 9, tzinfo=LOCAL_TZ))
def test_2000_responses_over_every_channel_unit_and_both_forms_with_rollups_kept():
    output = generate()
    assert "Đã sinh 2.000 phiếu" in output
    # Quick ratings (kiosk 75 %, web 25 %) and SIPAS forms (web, paper, import, API, invitation).
    assert by("channel") == {
        "api": 66,
        "import": 144,
        "invitation": 70,
        "kiosk": 986,
        "paper": 217,
        "web": 517,
    }
    assert by("version__questionnaire__code") == {"nhanh": 1284, "sipas": 716}
    assert len(by("unit__code")) == 21
    assert Service.objects.count() == 375
    assert Response.objects.exclude(service=None).values("service").distinct().count() == 307
    assert Answer.objects.count() == 17852
    assert Answer.objects.filter(not_applicable=True).count() == 1436
    assert Response.objects.exclude(dossier=None).count() == 273
    assert Dossier.objects.count() == 361  # a third more dossiers nobody answered about
    assert Case.objects.count() == 5
    cases = Case.objects.values_list("status").annotate(n=Count("id")).order_by("status")
    assert dict(cases) == {"answered": 1, "closed": 4}  # moved along as the demo's are
    check = StringIO()
    call_command("rollups_rebuild", "--check", stdout=check)
    assert check.getvalue().splitlines()[-1] == "0 chênh lệch."


class Clock:
    """time.perf_counter stood in for: a quarter of a second more at each reading, so the
    durations and rates the command prints are the same at every run."""

    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 0.25
        return self.now


@pytest.mark.django_db
@pytest.mark.time_machine(datetime(2026, 4, 15, 9, tzinfo=LOCAL_TZ))
def test_a_small_run_says_its_progress_in_vietnamese(monkeypatch):
    import time

    monkeypatch.setattr(time, "perf_counter", Clock())
    out = StringIO()
    call_command(
        "generate_data", "--responses", "1500", "--chunk", "500", "--seed", "3", stdout=out
    )
    assert out.getvalue().splitlines() == [
        "  500 / 1.500 phiếu (1.000 phiếu/giây)",
        "  1.000 / 1.500 phiếu (1.333 phiếu/giây)",
        "  1.500 / 1.500 phiếu (1.500 phiếu/giây)",
        "Đã sinh 1.500 phiếu (13.477 dòng câu trả lời) trong 1,0 giây: 1.500 phiếu/giây, 13.477"
        " dòng câu trả lời/giây (số liệu tổng hợp được cập nhật ngay khi ghi).",
        "Sau đó: 301 hồ sơ, 3 vụ việc; tổng cộng 1,5 giây.",
    ]
    with pytest.raises(CommandError) as refused:
        call_command("generate_data", "--responses", "0")
    assert str(refused.value) == "--responses phải từ 1 trở lên."
    with pytest.raises(CommandError) as refused:
        call_command("generate_data", "--responses", "5", "--today", "15/04/2026")
    assert str(refused.value) == "--today phải là một ngày viết theo dạng YYYY-MM-DD."
