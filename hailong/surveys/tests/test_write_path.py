"""The one write path: every rule holds for a batch as for a single response, the hooks hear of
every stored, corrected or deleted response in the same transaction, and no other code writes
Response or Answer rows."""

from __future__ import annotations

import ast
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from conftest import sipas_answers
from hailong.core.models import AuditEntry
from hailong.feedback.models import Case
from hailong.surveys.models import Answer, Campaign, ConsentRecord, Dossier, Response
from hailong.surveys.services.responses import (
    Claims,
    Contact,
    Submission,
    response_correct,
    responses_check,
    responses_delete,
    responses_store,
)

HEARD: list[tuple[str, int, bool]] = []


def listening_hook(changes) -> None:
    """A hook that notes what it heard and whether it ran inside the write's transaction."""
    in_transaction = transaction.get_connection().in_atomic_block
    HEARD.extend((c.kind, c.response.pk, in_transaction) for c in changes)


@pytest.fixture
def heard(settings):
    HEARD.clear()
    settings.HAILONG_RESPONSE_HOOKS = [
        *settings.HAILONG_RESPONSE_HOOKS,
        f"{__name__}.listening_hook",
    ]
    return HEARD


def sheet(org, version, campaign, **extra) -> Submission:
    values = {
        "version": version,
        "unit": org.unit_a,
        "channel": "import",
        "answers": sipas_answers(),
        "campaign": campaign,
        "submitted_at": timezone.now() - timedelta(hours=1),
    }
    values.update(extra)
    return Submission(**values)


def test_a_batch_tells_each_outcome_in_order_and_the_hooks_of_each_stored_one(
    org, sipas, campaign, heard
):
    result = responses_store(
        [
            sheet(org, sipas, campaign, idempotency_key="a"),
            sheet(org, sipas, campaign, answers={"TC1": "9"}),
            sheet(org, sipas, campaign, idempotency_key="a"),  # the same row twice
            sheet(org, sipas, campaign, idempotency_key="b"),
        ]
    )
    first, bad, twin, last = result.outcomes
    assert (first.created, bad.refusal.code, twin.created, last.created) == (
        True,
        "answers",
        False,
        True,
    )
    assert twin.response.pk == first.response.pk
    assert result.stored_count == 2 == Response.objects.count()
    assert heard == [
        ("stored", first.response.pk, True),
        ("stored", last.response.pk, True),
    ]


def test_a_closed_campaign_refuses_a_batch_as_it_refuses_one_form(org, sipas, campaign):
    Campaign.objects.filter(pk=campaign.pk).update(status="closed")
    campaign.refresh_from_db()
    result = responses_store([sheet(org, sipas, campaign), sheet(org, sipas, campaign)])
    assert [o.refusal.code for o in result.outcomes] == ["campaign_closed", "campaign_closed"]
    assert Response.objects.count() == 0


def test_a_campaign_refuses_a_day_outside_its_dates_and_a_channel_it_does_not_take(
    org, sipas, campaign
):
    before = timezone.make_aware(
        timezone.datetime.combine(
            campaign.starts_on - timedelta(days=1), timezone.datetime.min.time()
        )
    )
    campaign.channels = ["web"]
    campaign.save()
    result = responses_store(
        [
            sheet(org, sipas, campaign, channel="web", submitted_at=before),
            sheet(org, sipas, campaign, channel="kiosk"),
        ]
    )
    messages = [o.refusal.message for o in result.outcomes]
    assert messages == [
        "Đợt khảo sát không nhận câu trả lời của ngày này (đợt khảo sát diễn ra từ ngày "
        f"{campaign.starts_on:%d/%m/%Y} đến ngày {campaign.ends_on:%d/%m/%Y}), "
        "nên câu trả lời chưa được ghi nhận.",
        "Đợt khảo sát này không nhận ý kiến qua kênh “Ki-ốt đánh giá tại quầy”.",
    ]


def test_a_campaign_refuses_a_unit_or_procedure_it_does_not_cover(org, sipas, campaign):
    campaign.units.set([org.unit_a])
    campaign.services.set([org.service_a])
    result = responses_store(
        [
            sheet(org, sipas, campaign, unit=org.unit_b),
            sheet(org, sipas, campaign, unit=org.unit_a1, service=org.service_b),
            sheet(org, sipas, campaign, unit=org.unit_a1, service=org.service_a),
        ]
    )
    first, second, third = result.outcomes
    assert first.refusal.message == "Đợt khảo sát này không khảo sát đơn vị Phòng Đất đai B."
    assert second.refusal.message == (
        "Đợt khảo sát này không khảo sát thủ tục Đăng ký biến động đất đai B."
    )
    assert third.created


def test_contact_details_without_consent_are_refused_not_dropped_in_a_batch(org, sipas, campaign):
    result = responses_store(
        [
            sheet(org, sipas, campaign, contact=Contact(phone="0912345678")),
            sheet(org, sipas, campaign, contact=Contact(phone="0912345679", consent_given=True)),
        ]
    )
    refused, stored = result.outcomes
    assert refused.refusal.code == "consent"
    assert stored.response.consent.phone == "0912345679"
    assert ConsentRecord.objects.count() == 1


def test_a_batch_links_registered_dossiers_and_refuses_a_dossier_answered_twice(
    org, sipas, campaign
):
    Dossier.objects.create(
        code="HS-1", unit=org.unit_a, received_at=timezone.now() - timedelta(days=3)
    )
    result = responses_store(
        [
            sheet(org, sipas, campaign, dossier_code="hs-1"),
            sheet(org, sipas, campaign, dossier_code="HS-1"),
        ]
    )
    stored, twice = result.outcomes
    assert stored.response.dossier.code == "HS-1"
    assert twice.refusal.code == "duplicate_dossier"


def test_an_unsatisfied_respondent_in_a_batch_gets_a_follow_up_case(org, sipas, campaign):
    result = responses_store(
        [
            sheet(
                org,
                sipas,
                campaign,
                channel="paper",
                answers=sipas_answers(score=1),
                contact=Contact(name="Lê Văn Tám", phone="0912345678", consent_given=True),
            ),
            sheet(org, sipas, campaign, answers=sipas_answers(score=1)),  # no way to call back
        ]
    )
    called_back, anonymous = result.outcomes
    assert Case.objects.get().source_response == called_back.response
    assert anonymous.created


def test_a_batch_entered_by_staff_is_audited_once(org, sipas, campaign, secretary):
    responses_store([sheet(org, sipas, campaign) for _n in range(3)], actor=secretary)
    entry = AuditEntry.objects.get(action="response.create_batch")
    first, last = Response.objects.order_by("pk").values_list("pk", flat=True)[::2]
    assert entry.after == {"count": 3, "ids": [first, last]}
    assert entry.actor == secretary


def test_corrections_and_deletions_tell_the_hooks_what_was_removed(
    org, sipas, campaign, secretary, heard
):
    stored = responses_store([sheet(org, sipas, campaign)]).outcomes[0].response
    response_correct(
        response=stored, answers=sipas_answers(score=2), actor=secretary, reason="gõ nhầm"
    )
    assert Answer.objects.get(response=stored, item__code="HL").value == 2
    deleted = responses_delete(
        responses=Response.objects.all(), actor=secretary, reason="thử nghiệm"
    )
    assert deleted == 1
    assert Answer.objects.count() == 0
    assert [kind for kind, _pk, _inside in heard] == ["stored", "corrected", "deleted"]
    assert all(inside for _kind, _pk, inside in heard)
    assert AuditEntry.objects.get(action="response.delete").after == {
        "count": 1,
        "reason": "thử nghiệm",
    }


def test_a_hook_that_fails_stores_nothing(org, sipas, campaign, settings):
    settings.HAILONG_RESPONSE_HOOKS = [*settings.HAILONG_RESPONSE_HOOKS, f"{__name__}.failing"]
    with pytest.raises(RuntimeError):
        responses_store([sheet(org, sipas, campaign)])
    assert Response.objects.count() == Answer.objects.count() == 0


def failing(changes) -> None:
    raise RuntimeError("the rollup could not be updated")


# --- no other code writes responses or answers -------------------------------------------------

WRITE_METHODS = {
    "create",
    "bulk_create",
    "update",
    "bulk_update",
    "delete",
    "get_or_create",
    "update_or_create",
    "save",
    "raw",
}
# The write path and its bulk entry for pre-validated generated responses (same helpers, hooks).
WRITE_PATHS = {
    Path("hailong/surveys/services/responses.py"),
    Path("hailong/surveys/services/bulk_load.py"),
}


def _writes_responses(call: ast.Call) -> bool:
    """A call like Response.objects….update(), campaign.responses….delete(), Answer(…)."""
    func = call.func
    if isinstance(func, ast.Name):
        return func.id in {"Response", "Answer"}
    if not (isinstance(func, ast.Attribute) and func.attr in WRITE_METHODS):
        return False
    node = func.value
    while isinstance(node, ast.Call | ast.Attribute):
        if isinstance(node, ast.Call):
            node = node.func
            continue
        if node.attr in {"responses", "answers"} or (
            node.attr == "objects"
            and isinstance(node.value, ast.Name)
            and node.value.id in {"Response", "Answer"}
        ):
            return True
        node = node.value
    return False


def test_no_code_but_the_write_path_writes_responses_or_answers():
    root = Path(settings.BASE_DIR)
    offenders = []
    for path in sorted((root / "hailong").rglob("*.py")):
        relative = path.relative_to(root)
        if "tests" in relative.parts or "migrations" in relative.parts or relative in WRITE_PATHS:
            continue
        source = path.read_text()
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Call) and _writes_responses(node):
                offenders.append(f"{relative}:{node.lineno}")
        for table in ("surveys_answer", "surveys_response"):
            if table in source:
                offenders.append(f"{relative}: raw SQL on {table}")
    assert offenders == []


def test_the_walk_finds_writes_around_the_write_path():
    calls = [
        "Response.objects.filter(pk=1).update(unit=None)",
        "campaign.responses.all().delete()",
        "Answer.objects.bulk_create(rows)",
        "Answer(response=r, item=i)",
        "upload.responses.filter(x=1).delete()",
    ]
    reads = ["Response.objects.filter(pk=1).count()", "campaign.responses.exists()"]
    found = [_writes_responses(ast.parse(c).body[0].value) for c in calls + reads]
    assert found == [True] * len(calls) + [False] * len(reads)


def raising_integrity(changes) -> None:
    from django.db import IntegrityError

    raise IntegrityError("a rollup's unique key")


def test_an_integrity_error_that_is_no_twin_propagates_instead_of_a_duplicate_refusal(
    org, sipas, campaign, settings
):
    from django.db import IntegrityError

    settings.HAILONG_RESPONSE_HOOKS = [
        *settings.HAILONG_RESPONSE_HOOKS,
        f"{__name__}.raising_integrity",
    ]
    with pytest.raises(IntegrityError):
        responses_store([sheet(org, sipas, campaign, idempotency_key="x")])
    assert Response.objects.count() == 0


def test_a_replay_after_the_campaign_closed_returns_the_stored_response(org, sipas, campaign):
    first = responses_store([sheet(org, sipas, campaign, idempotency_key="api:7")]).outcomes[0]
    Campaign.objects.filter(pk=campaign.pk).update(status="closed")
    campaign.refresh_from_db()
    again = responses_store([sheet(org, sipas, campaign, idempotency_key="api:7")]).outcomes[0]
    assert (again.created, again.refusal, again.response.pk) == (False, None, first.response.pk)


def test_a_naive_time_is_a_programming_error(org, sipas, campaign):
    naive = timezone.now().replace(tzinfo=None)
    with pytest.raises(ValueError):
        responses_store([sheet(org, sipas, campaign, submitted_at=naive)])


def test_the_loop_reads_no_consent_again(org, sipas, campaign, django_assert_num_queries):
    from hailong.surveys.schema import schema_for

    schema_for(sipas)
    contact = Contact(name="A", phone="0912345678", consent_given=True)
    batch = [sheet(org, sipas, campaign, contact=contact) for _n in range(5)]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        responses_store(batch)
    consent_reads = [q for q in captured if q["sql"].startswith('SELECT "surveys_consentrecord"')]
    assert consent_reads == []


def test_sql_that_writes_around_the_write_path_is_refused_in_every_test(org, sipas, campaign):
    stored = responses_store([sheet(org, sipas, campaign)]).outcomes[0].response
    attempts = [
        lambda: Response.objects.filter(pk=stored.pk).update(channel="web"),
        lambda: Answer.objects.filter(response=stored).delete(),
        lambda: stored.delete(),
    ]
    for attempt in attempts:
        # The savepoint: the refusal breaks only it.
        with pytest.raises(AssertionError, match="write path"), transaction.atomic():
            attempt()
    # A cascade clearing a column nobody counts by is the ORM's own, not a write of answers.
    org.point_a.delete()


def test_a_dry_run_says_what_storing_would_do_across_batches_and_writes_nothing(
    org, sipas, campaign, heard
):
    responses_store([sheet(org, sipas, campaign, idempotency_key="old")])
    claims = Claims()
    first = responses_check(
        [
            sheet(org, sipas, campaign, idempotency_key="old"),  # stored before: a replay
            sheet(org, sipas, campaign, idempotency_key="n1", dossier_code="HS-9"),
            sheet(org, sipas, campaign, idempotency_key="n2", answers={"TC1": "9"}),
        ],
        claims=claims,
    )
    second = responses_check(  # the next chunk of the same file
        [
            sheet(org, sipas, campaign, idempotency_key="n1", dossier_code="HS-9"),
            sheet(org, sipas, campaign, idempotency_key="n3", dossier_code="HS-9"),
            sheet(org, sipas, campaign, idempotency_key="n2"),  # refused above: not claimed
        ],
        claims=claims,
    )
    outcomes = [*first.outcomes, *second.outcomes]
    assert [o.created for o in outcomes] == [False, True, False, False, False, True]
    assert [o.refusal.code if o.refusal else None for o in outcomes] == [
        None,
        None,
        "answers",
        None,
        "duplicate_dossier",
        None,
    ]
    assert Response.objects.count() == 1 and len(HEARD) == 1  # only the earlier one
