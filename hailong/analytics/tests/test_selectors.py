"""Reading the rollups: whole months and edge days, subtrees read where units now are, a unit
officer's scope, the filters, and a fixed number of queries whatever the data size."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import make_staff, sipas_answers
from hailong.analytics.rollups import next_month
from hailong.analytics.selectors import (
    RESPONSES,
    Slice,
    item_counts,
    item_counts_by,
    option_counts,
    response_count,
    year_before,
)
from hailong.analytics.tests.recount import stored_rollups
from hailong.core.periods import LOCAL_TZ, custom, month, parse_period, quarter
from hailong.organisation.models import Role, Staff, Unit
from hailong.organisation.scope import Scope, scope_of
from hailong.organisation.services import unit_save
from hailong.surveys.selectors.responses import responses_visible_to
from hailong.surveys.services.questionnaires import questionnaire_import, version_publish
from hailong.surveys.services.responses import Submission, responses_store

EVERYTHING = Scope(everything=True)


def month_ago(n: int):
    first = timezone.localdate().replace(day=1)
    for _i in range(n):
        first = (first - timedelta(days=1)).replace(day=1)
    return first


def store(org, version, day, score=4, **extra):
    values = {
        "version": version,
        "unit": org.unit_a,
        "channel": "paper",
        "answers": sipas_answers(score),
        "submitted_at": datetime.combine(day, time(10, 0), tzinfo=LOCAL_TZ),
    }
    return responses_store([Submission(**(values | extra))]).outcomes[0].response


def tables_read(queries) -> list[str]:
    """The rollup tables read, one per query, in order."""
    found = []
    for query in queries:
        names = re.findall(r"analytics_([a-z]+)", query["sql"])
        if names:
            found.append(names[0])
    return found


def test_a_range_reads_whole_months_from_a_month_table_and_its_edge_days(
    org, sipas, django_assert_num_queries
):
    m0 = month_ago(4)
    m1, m2 = next_month(m0), next_month(next_month(m0))
    # Scores tell the responses apart: only the 20th of m0, m1 and the 10th of m2 are inside.
    for day, score in (
        (m0 + timedelta(days=18), 1),
        (m0 + timedelta(days=19), 2),
        (m1 + timedelta(days=14), 3),
        (m2 + timedelta(days=9), 4),
        (m2 + timedelta(days=10), 5),
    ):
        store(org, sipas, day, score)
    period = custom(m0 + timedelta(days=19), m2 + timedelta(days=9))
    everything = Slice(period=period, scope=EVERYTHING)
    with CaptureQueriesContext(connection) as queries, django_assert_num_queries(3):
        counts = item_counts(everything)
    assert tables_read(queries.captured_queries) == ["scoreperiodunit", "answerday"]
    assert counts[RESPONSES] == {(0, 0): 3}
    assert counts["HL"] == {(0, 2): 1, (0, 3): 1, (0, 4): 1}
    assert counts["PA3"] == {(1, 0): 3}  # không áp dụng
    assert counts["YK"] == {(2, 0): 3}  # free text
    by_month = item_counts_by(everything, "month")
    assert {m: c[RESPONSES][(0, 0)] for m, c in by_month.items()} == {m0: 1, m1: 1, m2: 1}
    by_day = item_counts_by(everything, "day")
    assert sorted(by_day) == [
        m0 + timedelta(days=19),
        m1 + timedelta(days=14),
        m2 + timedelta(days=9),
    ]
    with CaptureQueriesContext(connection) as queries:
        assert response_count(Slice(period=month(m1.year, m1.month), scope=EVERYTHING)) == 1
    assert tables_read(queries.captured_queries) == ["scoreperiodunit"]


def test_a_unit_moved_in_the_tree_is_read_where_it_now_is_without_rewriting_history(org, sipas):
    day = month_ago(1) + timedelta(days=3)
    store(org, sipas, day, unit=org.unit_a1)
    store(org, sipas, day, unit=org.unit_a)
    store(org, sipas, day, unit=org.unit_b)
    period = month(day.year, day.month)

    def responses_in(unit):
        return response_count(Slice(period=period, scope=EVERYTHING, unit=unit))

    assert (responses_in(org.unit_a), responses_in(org.unit_b), responses_in(org.root)) == (2, 1, 3)
    before = stored_rollups()
    moved = Unit.objects.get(pk=org.unit_a1.pk)
    moved.parent = org.unit_b
    unit_save(unit=moved, actor=None)
    assert stored_rollups() == before  # counts stay keyed by the unit the response was given at
    # The objects loaded before the move are read where the units now are.
    assert (responses_in(org.unit_a), responses_in(org.unit_b), responses_in(org.root)) == (1, 2, 3)
    assert responses_in(org.unit_a1) == 1


def test_a_unit_officer_sees_responses_given_at_their_units_or_about_their_procedures(
    org, sipas, officer_a, officer_b, admin_user
):
    # officer_a works in UA (with UA1 below it); UA1 is responsible for service_a.
    day = month_ago(1) + timedelta(days=5)
    store(org, sipas, day, score=5, unit=org.unit_a)  # given at UA
    store(org, sipas, day, score=4, unit=org.unit_a1, service=org.service_b)  # at UA1
    store(org, sipas, day, score=3, unit=org.unit_b, service=org.service_a)  # about theirs
    store(org, sipas, day, score=2, unit=org.unit_b, service=org.service_b)  # neither
    store(org, sipas, day, score=1, unit=org.unit_b)  # neither
    period = month(day.year, day.month)

    def hl(person):
        return item_counts(Slice(period=period, scope=scope_of(person)))["HL"]

    assert hl(officer_a) == {(0, 5): 1, (0, 4): 1, (0, 3): 1}
    assert hl(officer_b) == {(0, 3): 1, (0, 2): 1, (0, 1): 1, (0, 4): 1}
    assert hl(admin_user) == {(0, v): 1 for v in (1, 2, 3, 4, 5)}
    with CaptureQueriesContext(connection) as queries:
        item_counts(Slice(period=period, scope=scope_of(officer_a)))
    # The procedure is needed
    assert tables_read(queries.captured_queries) == ["scoremonthservice"]


def test_filters_by_procedure_field_channel_questionnaire_and_campaign(
    org, sipas, nhanh, campaign, quick_campaign
):
    day = timezone.localdate() - timedelta(days=2)
    store(org, sipas, day, score=5, service=org.service_a, campaign=campaign)
    store(org, sipas, day, score=4, service=org.service_b, channel="web", campaign=campaign)
    store(org, sipas, day, score=3)
    store(
        org,
        nhanh,
        day,
        answers={"DG": "1", "LD": ["CHO", "THAIDO"]},
        channel="kiosk",
        campaign=quick_campaign,
    )
    store(org, nhanh, day, answers={"DG": "1", "LD": ["CHO"]}, channel="kiosk")
    base = Slice(period=custom(day, day), scope=EVERYTHING)

    def hl(**narrowed):
        return item_counts(Slice(**(base.__dict__ | narrowed))).get("HL")

    assert hl(service_ids=frozenset({org.service_a.pk})) == {(0, 5): 1}
    assert hl(field=org.service_b.field) == {(0, 4): 1}
    assert hl(channel="web") == {(0, 4): 1}
    assert hl(campaign=campaign) == {(0, 5): 1, (0, 4): 1}
    assert hl(questionnaire="nhanh") is None
    quick = Slice(**(base.__dict__ | {"questionnaire": "nhanh"}))
    assert item_counts(quick)["DG"] == {(0, 1): 2}
    # The choices without a value only: the 3-level answers are counted by value above.
    assert option_counts(quick) == {"LD": {"CHO": 2, "THAIDO": 1}}
    assert item_counts_by(base, "channel").keys() == {"paper", "web", "kiosk"}
    by_service = item_counts_by(base, "service")
    assert {k: v[RESPONSES][(0, 0)] for k, v in by_service.items()} == {
        org.service_a.pk: 1,
        org.service_b.pk: 1,
        0: 3,
    }
    by_field = item_counts_by(base, "field")
    assert {k: v[RESPONSES][(0, 0)] for k, v in by_field.items()} == {
        org.service_a.field_id: 1,
        org.service_b.field_id: 1,
        0: 3,
    }


def test_a_reader_costs_the_same_queries_at_two_data_sizes(
    org, sipas, officer_a, django_assert_num_queries
):
    m0 = month_ago(3)
    period = custom(m0 + timedelta(days=10), next_month(next_month(m0)) + timedelta(days=4))
    units = [org.unit_a, org.unit_a1, org.unit_b]

    def read_all():
        for scope in (EVERYTHING, scope_of(officer_a)):
            s = Slice(period=period, scope=scope, unit=org.root, questionnaire="sipas")
            with django_assert_num_queries(3):
                item_counts(s)
            for dim in ("unit", "month", "service", "channel"):
                with django_assert_num_queries(3):
                    item_counts_by(s, dim)
            with django_assert_num_queries(4):
                item_counts_by(s, "field")
            with django_assert_num_queries(4):
                option_counts(s)

    store(org, sipas, m0 + timedelta(days=12))
    # The scope is computed once per request, before the readers (and whether it sees all).
    assert not scope_of(officer_a).sees_every_unit
    read_all()
    for i in range(40):
        day = m0 + timedelta(days=10 + i * 2)
        services = (org.service_a, org.service_b, None)
        store(org, sipas, day, score=1 + i % 5, unit=units[i % 3], service=services[i % 3])
    read_all()


def test_the_same_period_a_year_before():
    assert year_before(parse_period("Quý IV/2026")) == quarter(2025, 4)
    assert year_before(parse_period("02/2028")) == month(2027, 2)
    assert year_before(parse_period("29/02/2028 - 10/03/2028")) == custom(
        parse_period("28/02/2027").first_day, parse_period("10/03/2027").first_day
    )


def test_a_leader_of_the_whole_tree_reads_as_the_administrator_does(
    org, sipas, leader, officer_a, django_assert_num_queries
):
    """A scope whose roots are every top-level unit sees every unit and procedure: its reads
    take the table without procedures, as the administrator's do; anyone narrower keeps the
    full table and its filter (and a second tree makes the leader narrower)."""
    day = month_ago(2) + timedelta(days=3)
    store(org, sipas, day, 5)
    store(org, sipas, day, 2, unit=org.unit_b)
    period = month(day.year, day.month)
    whole = scope_of(leader)
    assert whole.sees_every_unit
    with CaptureQueriesContext(connection) as queries:
        counts = item_counts(Slice(period=period, scope=whole))
    assert tables_read(queries.captured_queries) == ["scoreperiodunit"]
    assert counts["HL"] == {(0, 5): 1, (0, 2): 1}
    narrow = scope_of(officer_a)
    assert not narrow.sees_every_unit
    with CaptureQueriesContext(connection) as queries:
        item_counts(Slice(period=period, scope=narrow))
    assert tables_read(queries.captured_queries) == ["scoremonthservice"]
    # With a channel too: only AnswerMonth has both.
    with CaptureQueriesContext(connection) as queries:
        item_counts(Slice(period=period, scope=narrow, channel="paper"))
    assert tables_read(queries.captured_queries) == ["answermonth"]
    Unit.objects.create(code="OTHER", name="Tỉnh khác", kind="province")
    assert not scope_of(Staff.objects.get(pk=leader.pk)).sees_every_unit


def test_values_outside_one_to_five_are_read_exactly_from_the_score_tables(
    org, secretary, officer_a
):
    """A number (minutes waited) keeps its own values: the score tables count them in one
    column, and the reader takes those items' values from AnswerMonth."""
    draft = questionnaire_import(
        data={
            "format": "hailong.questionnaire/1",
            "code": "cho",
            "name": "Thời gian chờ",
            "version": {
                "title_vi": "Thời gian chờ",
                "items": [
                    {
                        "code": "PHUT",
                        "kind": "number",
                        "min_value": 0,
                        "max_value": 240,
                        "text_vi": "Ông/Bà chờ bao nhiêu phút?",
                    },
                    {"code": "HL", "kind": "scale5", "text_vi": "Ông/Bà có hài lòng không?"},
                ],
            },
        },
        actor=secretary,
    )
    version = version_publish(version=draft, actor=secretary)
    day = month_ago(1) + timedelta(days=4)
    for minutes, score in (("0", "5"), ("3", "4"), ("45", "2"), ("45", "2")):
        store(org, version, day, answers={"PHUT": minutes, "HL": score})
    period = month(day.year, day.month)
    for scope in (EVERYTHING, scope_of(officer_a)):
        with CaptureQueriesContext(connection) as queries:
            counts = item_counts(Slice(period=period, scope=scope))
        assert counts["PHUT"] == {(0, 0): 1, (0, 3): 1, (0, 45): 2}
        assert counts["HL"] == {(0, 5): 1, (0, 4): 1, (0, 2): 2}
        table = "scoreperiodunit" if scope is EVERYTHING else "scoremonthservice"
        assert tables_read(queries.captured_queries) == [table, "answermonth"]


def test_the_counts_follow_the_raw_responses_rule_for_a_procedure_two_communes_handle(org, sipas):
    """Khai sinh is handled by A1 and by B itself: a form about it given at B is B's, so the
    officer of A1 sees it neither among the responses nor in the counts; one given at the root
    (the one-stop desk, where nobody handles it) is theirs in both."""
    org.service_a.units.set([org.unit_a1, org.unit_b])
    officer = make_staff("canbo_a1", Role.OFFICER, [org.unit_a1])
    day = month_ago(1) + timedelta(days=2)
    store(org, sipas, day, 5, unit=org.unit_b, service=org.service_a)
    at_desk = store(org, sipas, day, 2, unit=org.root, service=org.service_a)
    scope = scope_of(officer)
    assert list(responses_visible_to(scope)) == [at_desk]
    counts = item_counts(Slice(period=month(day.year, day.month), scope=scope))
    assert counts["HL"] == {(0, 2): 1}
    assert counts[RESPONSES] == {(0, 0): 1}


def test_a_period_is_read_as_whole_years_quarters_and_months_of_the_period_tables(
    org, sipas, django_assert_num_queries
):
    """A year reads its year's rows, a range its whole quarters and months, a monthly
    breakdown months only: a row of each grain is changed by hand (+100 answers of 4) and only
    the reads that should take it see it."""
    from django.db.models import F

    from hailong.analytics.models import ScorePeriodService, ScorePeriodUnit

    year = timezone.localdate().year - 1
    for month_number, score in ((1, 5), (4, 4), (11, 2)):
        store(org, sipas, date(year, month_number, 10), score)
        store(org, sipas, date(year, month_number, 12), score, service=org.service_a)
    whole_year = Slice(period=parse_period(str(year)), scope=EVERYTHING)
    with django_assert_num_queries(2):  # the rows, the item codes
        assert item_counts(whole_year)["HL"] == {(0, 5): 2, (0, 4): 2, (0, 2): 2}
    by_service = item_counts_by(whole_year, "service")
    assert {key: c["HL"] for key, c in by_service.items()} == {
        0: {(0, 5): 1, (0, 4): 1, (0, 2): 1},
        org.service_a.pk: {(0, 5): 1, (0, 4): 1, (0, 2): 1},
    }
    hl = sipas.items.get(code="HL").pk

    def tamper(model, grain):
        model.objects.filter(grain=grain, item_id=hl).update(
            v4=F("v4") + 100, count=F("count") + 100
        )

    tamper(ScorePeriodUnit, 12)
    tamper(ScorePeriodService, 12)
    assert item_counts(whole_year)["HL"][(0, 4)] == 102
    assert item_counts_by(whole_year, "service")[0]["HL"][(0, 4)] == 101
    # February to December: the months of Q1 (2, 3), then Q2, Q3, Q4 whole.
    rest = Slice(period=custom(date(year, 2, 1), date(year, 12, 31)), scope=EVERYTHING)
    assert item_counts(rest)["HL"] == {(0, 4): 2, (0, 2): 2}
    tamper(ScorePeriodUnit, 3)
    assert item_counts(rest)["HL"] == {(0, 4): 2 + 100 * 2, (0, 2): 2}  # Q2 and Q4's rows
    assert item_counts(Slice(period=quarter(year, 1), scope=EVERYTHING))["HL"] == {
        (0, 5): 2,
        (0, 4): 100,
    }
    # The monthly trend reads months only: none of the rows changed.
    by_month = item_counts_by(whole_year, "month")
    assert {m: c["HL"] for m, c in by_month.items()} == {
        date(year, 1, 1): {(0, 5): 2},
        date(year, 4, 1): {(0, 4): 2},
        date(year, 11, 1): {(0, 2): 2},
    }
    tamper(ScorePeriodUnit, 1)
    assert item_counts_by(whole_year, "month")[date(year, 1, 1)]["HL"] == {(0, 5): 2, (0, 4): 100}
