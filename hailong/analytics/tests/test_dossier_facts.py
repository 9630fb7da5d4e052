"""The dossiers' stored facts for the dashboard (Dossier.returned_on, time_points, has_pakn,
unsatisfied_responses) stay equal to a recompute from scratch through every path that changes
what they depend on: the register's writes (one dossier, a file), the responses' write path
(stored, corrected, deleted), responses linked to a dossier registered after them, and the PAKN
cases (received, kind, unit or code corrected). And the check and the rebuild see and repair a
difference; the migration's own SQL fills the same values."""

from __future__ import annotations

import importlib
from datetime import datetime, timedelta
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import sipas_answers
from hailong.analytics.dossier_facts import dossier_fact_differences
from hailong.core.imports import table_store
from hailong.core.periods import LOCAL_TZ
from hailong.feedback.deadlines import install_default_rules
from hailong.feedback.intake import CaseIntake
from hailong.feedback.services import case_receive, case_update
from hailong.organisation.scope import Scope
from hailong.surveys.dossiers import DossiersTable, dossier_upsert
from hailong.surveys.models import Dossier, Response
from hailong.surveys.services.responses import (
    Submission,
    response_correct,
    responses_delete,
    responses_link_dossiers,
    responses_store,
)
from hailong.surveys.tests.test_dossiers import dossier_file


def days_ago(n: int, hour: int = 10) -> datetime:
    day = timezone.localdate() - timedelta(days=n)
    return datetime(day.year, day.month, day.day, hour, tzinfo=LOCAL_TZ)


def facts(code: str, unit) -> tuple:
    d = Dossier.objects.get(code=code, unit=unit)
    return (d.returned_on, d.time_points, d.has_pakn, d.unsatisfied_responses)


def assert_as_recomputed():
    assert list(dossier_fact_differences()) == []


def register(unit, code="HS-1", *, returned=None, due=None):
    """A dossier through the register's service (dossier_upsert), as the API sends it, by a
    system that writes about `unit` only (a wider scope would move a code's only dossier)."""
    values = {
        "code": code,
        "unit": unit,
        "service": None,
        "channel": "in_person",
        "received_at": days_ago(20),
        "due_at": due if due is not None else days_ago(10, 17),
        "returned_at": returned if returned is not None else days_ago(12),
    }
    dossier, _created = dossier_upsert(values=values, scope=Scope(roots=(unit,), assigned=(unit,)))
    return dossier


def rate(version, unit, code, value: int) -> Response:
    """A quick (nhanh) response: its 3-level rating DG (1: unsatisfied)."""
    result = responses_store(
        [
            Submission(
                version=version,
                unit=unit,
                channel="kiosk",
                answers={"DG": str(value)},
                dossier_code=code,
                submitted_at=days_ago(11),
            )
        ]
    )
    return result.outcomes[0].response


def pakn(unit, code, *, kind="pakn"):
    install_default_rules()
    case, _created = case_receive(
        CaseIntake(
            kind=kind,
            channel="desk",
            unit=unit,
            title="Hồ sơ trả chậm",
            content="Tôi đến nhận kết quả mà chưa có.",
            dossier_code=code,
            contact_name="Nguyễn Văn An",
            contact_address="Số 1 đường Lê Lợi",
            consent_given=True,
        ),
        actor=None,
    )
    return case


# ---- the register ----------------------------------------------------------------------------


def test_a_dossier_registered_after_its_responses_counts_those_rated_unsatisfied(org, nhanh):
    rate(nhanh, org.unit_a, "HS-1", 1)
    rate(nhanh, org.unit_a, "HS-1", 1)
    rate(nhanh, org.unit_a, "HS-1", 3)
    rate(nhanh, org.unit_b, "HS-1", 1)  # another unit's: never linked to UA's dossier
    dossier = register(org.unit_a, returned=days_ago(12), due=days_ago(10, 17))
    assert facts("HS-1", org.unit_a) == (days_ago(12).date(), 2, False, 2)
    assert dossier.responses.count() == 3
    assert_as_recomputed()


def test_a_dossier_file_registered_after_the_responses_and_the_pakn(org, nhanh, secretary):
    rate(nhanh, org.unit_a, "HS-1", 1)
    pakn(org.unit_a, "hs-1")  # typed in lower case
    pakn(org.unit_a, "HS-2", kind="complaint")  # not a PAKN
    data = dossier_file(
        [
            ["HS-1", "UA", "", f"{days_ago(20):%d/%m/%Y}", f"{days_ago(10):%d/%m/%Y}", "", ""],
            ["HS-2", "UA", "", f"{days_ago(20):%d/%m/%Y}", "", f"{days_ago(9):%d/%m/%Y}", ""],
        ]
    )
    table_store(DossiersTable(actor=secretary), data, filename="hs.csv")
    assert facts("HS-1", org.unit_a) == (None, None, True, 1)
    assert facts("HS-2", org.unit_a) == (days_ago(9).date(), None, False, 0)
    assert_as_recomputed()


def test_a_dossier_sent_again_with_another_return_date_moves_its_day_and_score(
    org, nhanh, secretary
):
    due = days_ago(10, 17)
    register(org.unit_a, returned=days_ago(12), due=due)
    assert facts("HS-1", org.unit_a)[:2] == (days_ago(12).date(), 2)
    register(org.unit_a, returned=days_ago(8), due=due)  # dossier_upsert again
    assert facts("HS-1", org.unit_a)[:2] == (days_ago(8).date(), 0)
    assert_as_recomputed()
    # The file (bulk_update): returned on the due day, at 00:30 local time (the day before in
    # UTC).
    row = ["HS-1", "UA", "", f"{days_ago(20):%d/%m/%Y}", "", f"{days_ago(10):%d/%m/%Y} 00:30", ""]
    table_store(DossiersTable(actor=secretary), dossier_file([row]), filename="hs.csv")
    assert facts("HS-1", org.unit_a)[:2] == (days_ago(10).date(), 1)
    assert_as_recomputed()


def test_responses_linked_later_without_the_response_hooks_are_counted(org, nhanh):
    rate(nhanh, org.unit_a, "HS-1", 1)
    Dossier.objects.create(
        code="HS-1", unit=org.unit_a, received_at=days_ago(20), returned_at=days_ago(12)
    )
    assert facts("HS-1", org.unit_a)[3] == 0  # not linked yet
    assert responses_link_dossiers(codes=["HS-1"]) == 1
    assert facts("HS-1", org.unit_a)[3] == 1
    assert_as_recomputed()


# ---- the responses' write path ---------------------------------------------------------------


def test_a_response_corrected_from_unsatisfied_to_satisfied_and_back(org, nhanh, secretary):
    register(org.unit_a)
    response = rate(nhanh, org.unit_a, "HS-1", 1)
    assert response.dossier_id is not None
    assert facts("HS-1", org.unit_a)[3] == 1
    response_correct(response=response, answers={"DG": "3"}, actor=secretary, reason="Nhập sai")
    assert facts("HS-1", org.unit_a)[3] == 0
    assert_as_recomputed()
    response_correct(response=response, answers={"DG": "1"}, actor=secretary, reason="Nhập lại")
    assert facts("HS-1", org.unit_a)[3] == 1
    assert_as_recomputed()


def test_the_overall_five_point_answer_at_2_is_unsatisfied_at_4_not(org, sipas, secretary):
    register(org.unit_a)
    [stored] = responses_store(
        [
            Submission(
                version=sipas,
                unit=org.unit_a,
                channel="paper",
                answers=sipas_answers(score=2),
                dossier_code="HS-1",
                submitted_at=days_ago(11),
            )
        ]
    ).outcomes
    assert facts("HS-1", org.unit_a)[3] == 1
    response_correct(
        response=stored.response, answers=sipas_answers(score=4), actor=secretary, reason="Sai"
    )
    assert facts("HS-1", org.unit_a)[3] == 0
    assert_as_recomputed()


def test_a_deleted_response_is_no_longer_counted(org, nhanh):
    register(org.unit_a)
    unsatisfied = rate(nhanh, org.unit_a, "HS-1", 1)
    rate(nhanh, org.unit_a, "HS-1", 1)
    rate(nhanh, org.unit_a, "HS-1", 3)
    assert facts("HS-1", org.unit_a)[3] == 2
    responses_delete(responses=Response.objects.filter(pk=unsatisfied.pk), actor=None, reason="x")
    assert facts("HS-1", org.unit_a)[3] == 1
    responses_delete(responses=Response.objects.all(), actor=None, reason="x")
    assert facts("HS-1", org.unit_a)[3] == 0
    assert_as_recomputed()


def test_the_write_path_updates_the_register_only_for_a_verdict_that_changes(org, nhanh):
    register(org.unit_a)

    def dossier_updates(value: int, code: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            rate(nhanh, org.unit_a, code, value)
        return len([q for q in queries if q["sql"].startswith('UPDATE "surveys_dossier"')])

    assert dossier_updates(3, "HS-1") == 0  # linked, satisfied
    assert dossier_updates(1, "") == 0  # unsatisfied, about no dossier
    assert dossier_updates(1, "HS-9") == 0  # a dossier not registered (yet)
    assert dossier_updates(1, "HS-1") == 1
    assert facts("HS-1", org.unit_a)[3] == 1
    assert_as_recomputed()


# ---- the PAKN cases --------------------------------------------------------------------------


def test_a_pakn_case_received_marks_the_dossier_of_its_unit_and_code(org):
    register(org.unit_a)
    register(org.unit_b)
    pakn(org.unit_a, "hs-1")
    pakn(org.unit_b, "HS-1", kind="complaint")
    assert facts("HS-1", org.unit_a)[2] is True
    assert facts("HS-1", org.unit_b)[2] is False
    assert_as_recomputed()


def test_a_pakn_case_corrected_moves_the_mark(org, admin_user):
    register(org.unit_a)
    register(org.unit_a, "HS-2")
    register(org.unit_b)
    case = pakn(org.unit_a, "HS-1")
    assert [facts(c, u)[2] for c, u in (("HS-1", org.unit_a), ("HS-2", org.unit_a))] == [
        True,
        False,
    ]

    def update(**changes):
        return case_update(case=case, actor=admin_user, expected_version=None, changes=changes)

    case = update(dossier_code="hs-2")
    assert (facts("HS-1", org.unit_a)[2], facts("HS-2", org.unit_a)[2]) == (False, True)
    assert_as_recomputed()
    case = update(dossier_code="HS-1", unit=org.unit_b)
    assert (facts("HS-2", org.unit_a)[2], facts("HS-1", org.unit_b)[2]) == (False, True)
    assert_as_recomputed()
    case = update(kind="complaint")
    assert facts("HS-1", org.unit_b)[2] is False
    assert_as_recomputed()
    case = update(kind="pakn")
    assert facts("HS-1", org.unit_b)[2] is True
    assert_as_recomputed()


def test_a_dossier_registered_after_its_pakn_case_is_marked(org):
    pakn(org.unit_a, "hs-1")
    register(org.unit_a)
    register(org.unit_b)  # the same code at another unit: not its case
    assert facts("HS-1", org.unit_a)[2] is True
    assert facts("HS-1", org.unit_b)[2] is False
    assert_as_recomputed()


# ---- the check, the rebuild, the migration ---------------------------------------------------


def test_the_check_shows_a_tampered_fact_and_the_rebuild_repairs_it(org, nhanh):
    dossier = register(org.unit_a, returned=days_ago(12), due=days_ago(10, 17))
    rate(nhanh, org.unit_a, "HS-1", 1)
    Dossier.objects.filter(pk=dossier.pk).update(has_pakn=True, unsatisfied_responses=5)
    out = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("rollups_rebuild", "--check", stdout=out)
    assert (str(refused.value), refused.value.returncode) == ("2 chênh lệch.", 1)
    assert out.getvalue().splitlines()[-2:] == [
        f"Hồ sơ HS-1 (id {dossier.pk}) has_pakn: đang lưu True, tính lại False",
        f"Hồ sơ HS-1 (id {dossier.pk}) unsatisfied_responses: đang lưu 5, tính lại 1",
    ]
    out = StringIO()
    call_command("rollups_rebuild", stdout=out)
    assert "Hồ sơ: đã sửa số liệu lưu sẵn của 1 hồ sơ." in out.getvalue().splitlines()
    assert facts("HS-1", org.unit_a) == (days_ago(12).date(), 2, False, 1)
    out = StringIO()
    call_command("rollups_rebuild", "--check", stdout=out)
    assert out.getvalue().splitlines()[-1] == "0 chênh lệch."


def test_the_migrations_sql_fills_what_the_hooks_keep(org, nhanh, sipas):
    register(org.unit_a, returned=days_ago(12, 0), due=days_ago(12, 23))  # on the due day
    register(org.unit_a, "HS-2", returned=days_ago(9), due=days_ago(10))  # late
    register(org.unit_b, "HS-1", returned=days_ago(12), due=days_ago(10))
    Dossier.objects.create(code="HS-3", unit=org.unit_b, received_at=days_ago(20))  # open
    rate(nhanh, org.unit_a, "HS-1", 1)
    rate(nhanh, org.unit_a, "HS-1", 1)
    rate(nhanh, org.unit_b, "HS-1", 3)
    responses_store(
        [
            Submission(
                version=sipas,
                unit=org.unit_a,
                channel="paper",
                answers=sipas_answers(score=1),
                dossier_code="HS-2",
                submitted_at=days_ago(8),
            )
        ]
    )
    pakn(org.unit_b, "hs-1")
    kept = sorted(Dossier.objects.values_list("code", "unit", *FACTS_COLUMNS))
    assert kept == sorted(
        [
            ("HS-1", org.unit_a.pk, days_ago(12).date(), 1, False, 2),
            ("HS-2", org.unit_a.pk, days_ago(9).date(), 0, False, 1),
            ("HS-1", org.unit_b.pk, days_ago(12).date(), 2, True, 0),
            ("HS-3", org.unit_b.pk, None, None, False, 0),
        ]
    )
    Dossier.objects.update(returned_on=None, time_points=None, has_pakn=False)
    Dossier.objects.update(unsatisfied_responses=0)
    migration = importlib.import_module("hailong.surveys.migrations.0017_dossier_stored_facts")
    migration.fill(None, SimpleNamespace(connection=connection))
    assert sorted(Dossier.objects.values_list("code", "unit", *FACTS_COLUMNS)) == kept
    assert_as_recomputed()


FACTS_COLUMNS = ("returned_on", "time_points", "has_pakn", "unsatisfied_responses")
