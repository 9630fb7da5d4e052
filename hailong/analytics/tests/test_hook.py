"""The rollups change in the same transaction as the answers: stored, corrected, deleted,
imported and cancelled imports."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from unittest.mock import patch

import pytest
from django.utils import timezone

from conftest import sipas_answers
from hailong.analytics.models import AnswerDay, AnswerMonth, ScoreMonth, ScoreMonthService
from hailong.analytics.tests.recount import python_recount, stored_rollups
from hailong.core.jobs import JobCancelled
from hailong.core.periods import LOCAL_TZ
from hailong.surveys.file_import import import_run
from hailong.surveys.models import Item, Option, Response, ResponseImport
from hailong.surveys.services.responses import (
    Submission,
    response_correct,
    responses_delete,
    responses_store,
)


def sheet(org, version, campaign=None, **extra) -> Submission:
    values = {
        "version": version,
        "unit": org.unit_a,
        "service": org.service_a,
        "channel": "paper",
        "answers": sipas_answers(),
        "campaign": campaign,
        "submitted_at": timezone.now() - timedelta(hours=1),
    }
    values.update(extra)
    return Submission(**values)


def day_rows() -> dict:
    """AnswerDay as {(item code, value, state, option code): count}, item 0 as "*"."""
    codes = dict(Item.objects.values_list("pk", "code"))
    options = dict(Option.objects.values_list("pk", "code"))
    return {
        (codes.get(item, "*"), value, state, options.get(option)): count
        for item, value, state, option, count in AnswerDay.objects.values_list(
            "item_id", "value", "state", "option_id", "count"
        )
    }


SIPAS_ROWS_AT_4 = {
    ("*", 0, 0, None): 1,  # the response
    **{
        (f"{e}{n}", 4, 0, "4"): 1
        for e, k in (("TC", 4), ("TT", 4), ("CC", 5), ("KQ", 3), ("PA", 2))
        for n in range(1, k + 1)
    },
    ("PA3", 0, 1, None): 1,  # không áp dụng
    ("HL", 4, 0, "4"): 1,
    ("MM", 0, 2, "CC"): 1,  # what should improve first: one row per option, no value
    ("MM", 0, 2, "TT"): 1,
    ("YK", 0, 2, None): 1,  # free text: answered without a value
}


def test_a_stored_response_counts_the_response_and_each_answer_row(org, sipas, campaign):
    responses_store([sheet(org, sipas, campaign)])
    profile = {k: v for k, v in day_rows().items() if k[0] in ("TUOI", "GIOI", "NGHE")}
    assert {k: v for k, v in day_rows().items() if k not in profile} == SIPAS_ROWS_AT_4
    assert sorted(profile) == [("GIOI", 0, 2, "NU"), ("NGHE", 0, 2, "NONG"), ("TUOI", 0, 2, "3")]
    row = AnswerDay.objects.get(item_id=0)
    assert (row.unit_id, row.service_id, row.channel, row.campaign_id, row.version_id) == (
        org.unit_a.pk,
        org.service_a.pk,
        "paper",
        campaign.pk,
        sipas.pk,
    )
    assert stored_rollups() == python_recount()


def test_a_second_response_adds_to_the_same_rows(org, sipas):
    responses_store([sheet(org, sipas), sheet(org, sipas)])
    responses_store([sheet(org, sipas)])
    assert ScoreMonth.objects.get(item_id=0).count == 3
    assert AnswerDay.objects.filter(count=3).count() == AnswerDay.objects.count()
    assert stored_rollups() == python_recount()


def test_a_refused_submission_counts_nothing(org, sipas):
    result = responses_store([sheet(org, sipas, answers={"TC1": "9"})])
    assert result.outcomes[0].refusal.code == "answers"
    assert AnswerDay.objects.count() == AnswerMonth.objects.count() == 0


def test_a_correction_moves_the_counts_and_drops_rows_that_reach_zero(org, sipas, secretary):
    first, second = (
        o.response for o in responses_store([sheet(org, sipas), sheet(org, sipas)]).outcomes
    )
    response_correct(
        response=first, answers=sipas_answers(score=2), actor=secretary, reason="gõ nhầm"
    )
    rows = day_rows()
    assert (rows[("*", 0, 0, None)], rows[("TC1", 4, 0, "4")], rows[("TC1", 2, 0, "2")]) == (
        2,
        1,
        1,
    )
    response_correct(
        response=second, answers=sipas_answers(score=2), actor=secretary, reason="gõ nhầm"
    )
    assert ("TC1", 4, 0, "4") not in day_rows()
    assert not AnswerMonth.objects.filter(value=4).exclude(item_id__in=profile_items()).exists()
    assert AnswerDay.objects.filter(count__lte=0).count() == 0
    # The score tables move the same answers from the column of 4 to the column of 2.
    tc1 = ScoreMonthService.objects.get(item_id=Item.objects.get(version=sipas, code="TC1").pk)
    assert (tc1.count, tc1.v2, tc1.v4) == (2, 2, 0)
    assert stored_rollups() == python_recount()


def profile_items():
    return Item.objects.filter(code="TUOI").values("pk")


def test_deleting_responses_takes_every_count_away(org, sipas, secretary):
    responses_store([sheet(org, sipas), sheet(org, sipas, service=None, channel="web")])
    keep = responses_store([sheet(org, sipas, unit=org.unit_b)]).outcomes[0].response
    responses_delete(
        responses=Response.objects.exclude(pk=keep.pk), actor=secretary, reason="thử nghiệm"
    )
    assert set(AnswerDay.objects.values_list("unit_id", flat=True)) == {org.unit_b.pk}
    assert ScoreMonth.objects.get(item_id=0).count == 1
    responses_delete(responses=Response.objects.all(), actor=secretary, reason="thử nghiệm")
    assert AnswerDay.objects.count() + AnswerMonth.objects.count() == 0
    assert ScoreMonth.objects.count() == 0


def test_a_response_counts_on_its_local_day_and_month(org, sipas):
    # 00:30 in Hà Nội on the 1st is still the last day of the month before in UTC.
    first_of_month = (timezone.localdate() - timedelta(days=40)).replace(day=1)
    moment = datetime.combine(first_of_month, time(0, 30), tzinfo=LOCAL_TZ)
    responses_store([sheet(org, sipas, submitted_at=moment)])
    assert set(AnswerDay.objects.values_list("day", flat=True)) == {first_of_month}
    assert set(AnswerMonth.objects.values_list("month", flat=True)) == {first_of_month}
    late = datetime.combine(first_of_month - timedelta(days=1), time(23, 30), tzinfo=LOCAL_TZ)
    responses_store([sheet(org, sipas, submitted_at=late)])
    previous = (first_of_month - timedelta(days=1)).replace(day=1)
    assert sorted(set(ScoreMonth.objects.values_list("month", flat=True))) == [
        previous,
        first_of_month,
    ]


IMPORT_HEADER = ["submitted_at", "unit", "service", "channel", "dossier_code"]
CRITERIA = [
    f"{e}{n}"
    for e, k in (("TC", 4), ("TT", 4), ("CC", 5), ("KQ", 3), ("PA", 3))
    for n in range(1, k + 1)
]


def import_file(rows: list[tuple[str, str]]) -> bytes:
    """A CSV of SIPAS forms: (unit code, score) per row, given yesterday."""
    when = (timezone.localdate() - timedelta(days=1)).strftime("%d/%m/%Y")
    lines = [",".join([*IMPORT_HEADER, *CRITERIA, "HL"])]
    for unit, score in rows:
        lines.append(",".join([when, unit, "1.001193", "", "", *([score] * 19), score]))
    return ("\n".join(lines) + "\n").encode()


def test_an_import_counts_and_its_cancellation_takes_the_counts_away(org, sipas, secretary):
    responses_store([sheet(org, sipas)])
    before = stored_rollups()
    data = import_file([("UA", "5"), ("UB", "3"), ("UA1", "4")])
    source = ResponseImport.objects.create(
        version=sipas, filename="a.csv", sha256="x", created_by=secretary
    )

    def cancel_after_two_chunks():
        if Response.objects.count() == 3:  # the first and two imported rows
            assert stored_rollups() == python_recount()  # the chunks were counted
            raise JobCancelled

    with pytest.raises(JobCancelled), patch("hailong.core.imports._Ticker.every", 0):
        import_run(
            data=data,
            filename="a.csv",
            version=sipas,
            campaign=None,
            actor=secretary,
            chunk=1,
            check_cancelled=cancel_after_two_chunks,
            upload=source,
        )
    assert Response.objects.count() == 1
    assert stored_rollups() == before
    result = import_run(data=data, filename="a.csv", version=sipas, campaign=None, actor=secretary)
    assert result.imported == 3
    imported = ScoreMonth.objects.filter(item_id=0, channel="import")
    assert sorted(imported.values_list("unit_id", "count")) == [
        (org.unit_a.pk, 1),
        (org.unit_a1.pk, 1),
        (org.unit_b.pk, 1),
    ]
    assert stored_rollups() == python_recount()
