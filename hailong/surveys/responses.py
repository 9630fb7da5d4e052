"""Storing a response: the one function every channel calls (web form, kiosk, paper entry,
file import, API). Deduplication, consent and the audit trail live here, and later rollups and
the closed loop to feedback cases hook in here too.

A complete response costs a fixed number of queries whatever the number of items: the schema
of a published version is cached, and the answers go in with one bulk INSERT.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hailong.core.audit import audit_record
from hailong.core.periods import LOCAL_TZ
from hailong.core.text import normalize_text
from hailong.organisation.models import Service, ServicePoint, Staff, Unit
from hailong.surveys.models import (
    Answer,
    Campaign,
    CampaignStatus,
    ConsentRecord,
    Dossier,
    QuestionnaireVersion,
    Response,
    VersionStatus,
)
from hailong.surveys.schema import schema_for, validate_answers


class SubmissionRejected(Exception):
    """The response was not stored. `message` is for the person (active language); `errors`
    maps item codes to messages; `code` says why, for APIs and tests."""

    def __init__(self, code: str, message: str, errors: dict[str, str] | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.errors = errors or {}


@dataclass
class Contact:
    name: str = ""
    phone: str = ""
    email: str = ""
    consent_given: bool = False

    @property
    def is_empty(self) -> bool:
        return not (self.name or self.phone or self.email)


@dataclass
class Submission:
    version: QuestionnaireVersion
    unit: Unit
    channel: str
    answers: dict
    campaign: Campaign | None = None
    service: Service | None = None
    service_point: ServicePoint | None = None
    dossier_code: str = ""
    paper_serial: str = ""
    idempotency_key: str = ""
    comment: str = ""
    submitted_at: datetime | None = None
    contact: Contact = field(default_factory=Contact)


@dataclass
class Stored:
    response: Response
    created: bool  # False when an idempotent replay returned the response stored before


def answer_objects(response: Response, rows) -> list[Answer]:
    """Unsaved Answer rows of a response, for one bulk INSERT."""
    return [
        Answer(
            response=response,
            item_id=row.item_id,
            option_id=row.option_id,
            value=row.value,
            not_applicable=row.not_applicable,
            text=row.text,
        )
        for row in rows
    ]


def new_response(
    submission: Submission,
    *,
    submitted_at: datetime,
    actor: Staff | None,
    consent: ConsentRecord | None = None,
) -> Response:
    """The unsaved Response row of a submission, its text fields normalised."""
    return Response(
        version=submission.version,
        campaign=submission.campaign,
        unit=submission.unit,
        service=submission.service,
        service_point=submission.service_point,
        channel=submission.channel,
        submitted_at=submitted_at,
        local_date=submitted_at.astimezone(LOCAL_TZ).date(),
        dossier_code=normalize_text(submission.dossier_code).upper()[:60],
        paper_serial=normalize_text(submission.paper_serial)[:40],
        idempotency_key=submission.idempotency_key or None,
        comment=normalize_text(submission.comment)[:4000],
        consent=consent,
        entered_by=actor,
    )


def check_version(version: QuestionnaireVersion) -> None:
    if version.status != VersionStatus.PUBLISHED:
        raise SubmissionRejected(
            "version",
            _("This form is no longer in use. Please ask the staff for the current form."),
        )


def validated_answers(submission: Submission):
    validated = validate_answers(schema_for(submission.version), submission.answers)
    if validated.errors:
        raise SubmissionRejected(
            "answers", _("Some answers need your attention."), validated.errors
        )
    return validated


def campaign_accepts(campaign: Campaign, *, channel: str, on_day) -> str | None:
    """Why a campaign refuses a response now, or None when it accepts it."""
    if campaign.status != CampaignStatus.OPEN:
        return _("This survey campaign is closed. Thank you for your interest.")
    if not (campaign.starts_on <= on_day <= campaign.ends_on):
        return _(
            "This survey campaign is not open today (it runs from %(start)s to %(end)s), "
            "so the answers were not recorded."
        ) % {
            "start": campaign.starts_on.strftime("%d/%m/%Y"),
            "end": campaign.ends_on.strftime("%d/%m/%Y"),
        }
    if campaign.channels and channel not in campaign.channels:
        return _("This survey campaign does not take answers through this channel.")
    return None


def response_submit(submission: Submission, *, actor: Staff | None = None) -> Stored:
    """Validate and store one response, or raise SubmissionRejected saying why.

    Refused: answers that do not fit the questionnaire; a version that is not published; a
    campaign that is closed, out of its dates or not open to the channel; contact details
    without consent; a dossier code already answered in the campaign; a paper serial already
    entered. An idempotency key seen before returns the earlier response (created=False)."""
    version = submission.version
    submitted_at = submission.submitted_at or timezone.now()
    local_date = submitted_at.astimezone(LOCAL_TZ).date()

    if submission.idempotency_key:
        earlier = Response.objects.filter(idempotency_key=submission.idempotency_key).first()
        if earlier is not None:
            return Stored(earlier, created=False)
    check_version(version)
    campaign = submission.campaign
    if campaign is not None:
        if campaign.version_id != version.pk:
            raise SubmissionRejected("campaign", _("This form does not belong to the campaign."))
        refusal = campaign_accepts(campaign, channel=submission.channel, on_day=local_date)
        if refusal:
            raise SubmissionRejected("campaign_closed", refusal)

    contact = Contact(
        name=normalize_text(submission.contact.name)[:150],
        phone=normalize_text(submission.contact.phone)[:30],
        email=normalize_text(submission.contact.email)[:254],
        consent_given=submission.contact.consent_given,
    )
    # Every problem at once, so the person fixes the form in one go.
    errors: dict[str, str] = {}
    try:
        validated = validated_answers(submission)
    except SubmissionRejected as refused:
        errors.update(refused.errors)
    if not contact.is_empty and not contact.consent_given:
        errors["consent"] = _("Tick this box to let us contact you.")
    if errors:
        if set(errors) == {"consent"}:
            raise SubmissionRejected(
                "consent",
                _("To leave your name or phone number, tick the consent box; or leave them empty."),
                errors,
            )
        raise SubmissionRejected("answers", _("Some answers need your attention."), errors)

    dossier_code = normalize_text(submission.dossier_code).upper()[:60]
    paper_serial = normalize_text(submission.paper_serial)[:40]
    try:
        with transaction.atomic():
            consent = None
            if not contact.is_empty:
                consent = ConsentRecord.objects.create(
                    text=version.consent_vi,
                    text_version=f"{version.questionnaire_id}.{version.number}",
                    given_at=submitted_at,
                    name=contact.name,
                    phone=contact.phone,
                    email=contact.email,
                )
            response = new_response(
                submission, submitted_at=submitted_at, actor=actor, consent=consent
            )
            if dossier_code:
                response.dossier_id = (
                    Dossier.objects.filter(code=dossier_code).values_list("pk", flat=True).first()
                )
            response.save()
            Answer.objects.bulk_create(answer_objects(response, validated.rows))
            # The closed loop: an unsatisfied respondent who may be contacted gets a case.
            from hailong.feedback.loop import follow_up_unsatisfied

            follow_up_unsatisfied(
                response=response,
                schema=schema_for(version),
                rows=validated.rows,
                consent=consent,
            )
            if actor is not None:
                audit_record(
                    actor=actor,
                    action="response.create",
                    target=response,
                    after={"channel": response.channel, "serial": paper_serial},
                )
    except IntegrityError as exc:
        if submission.idempotency_key:
            # Two copies of one request raced; the other one stored it: same answer as a replay.
            earlier = Response.objects.filter(idempotency_key=submission.idempotency_key).first()
            if earlier is not None:
                return Stored(earlier, created=False)
        raise _duplicate_refusal(submission, dossier_code, paper_serial) from exc
    return Stored(response, created=True)


def _duplicate_refusal(submission: Submission, dossier_code: str, paper_serial: str):
    if (
        paper_serial
        and Response.objects.filter(version=submission.version, paper_serial=paper_serial).exists()
    ):
        return SubmissionRejected(
            "duplicate_serial",
            _("Paper form %(serial)s has already been entered.") % {"serial": paper_serial},
            {"paper_serial": _("Already entered.")},
        )
    return SubmissionRejected(
        "duplicate_dossier",
        _("Dossier %(code)s has already been evaluated in this survey campaign.")
        % {"code": dossier_code},
        {"dossier_code": _("Already evaluated.")},
    )


def _answers_snapshot(response: Response) -> list[dict]:
    return [
        {
            "item": a.item.code,
            "option": a.option.code if a.option else None,
            "value": a.value,
            "not_applicable": a.not_applicable,
            "text": a.text,
        }
        for a in response.answers.select_related("item", "option").order_by("id")
    ]


@transaction.atomic
def response_correct(*, response: Response, answers: dict, actor: Staff, reason: str) -> Response:
    """Replace a response's answers with corrected ones (e.g. a paper form mistyped). The first
    correction keeps the original answers in `original`; every correction writes an audit row
    with the answers before and after and the reason."""
    response = Response.objects.select_for_update().get(pk=response.pk)
    validated = validate_answers(schema_for(response.version), answers)
    if validated.errors:
        raise SubmissionRejected(
            "answers", _("Some answers need your attention."), validated.errors
        )
    before = _answers_snapshot(response)
    if response.original is None:
        response.original = before
    response.answers.all().delete()
    Answer.objects.bulk_create(answer_objects(response, validated.rows))
    response.corrected_at = timezone.now()
    response.save(update_fields=["original", "corrected_at"])
    audit_record(
        actor=actor,
        action="response.correct",
        target=response,
        before={"answers": before},
        after={"answers": _answers_snapshot(response), "reason": normalize_text(reason)},
    )
    return response


@dataclass
class BulkResult:
    stored: int = 0
    refused: list[tuple[int, SubmissionRejected]] = field(default_factory=list)


def responses_store_bulk(
    submissions: list[Submission], *, actor: Staff | None = None, batch_size: int = 500
) -> BulkResult:
    """Store many responses at once (file import, demo data, benchmarks): the same checks as
    `response_submit` for each, then a few bulk INSERTs per batch instead of a few queries per
    response. Refused submissions are reported by index; the others are stored."""
    result = BulkResult()
    for start in range(0, len(submissions), batch_size):
        chunk = submissions[start : start + batch_size]
        responses, answer_rows = [], []
        for offset, submission in enumerate(chunk):
            try:
                check_version(submission.version)
                validated = validated_answers(submission)
            except SubmissionRejected as refused:
                result.refused.append((start + offset, refused))
                continue
            submitted_at = submission.submitted_at or timezone.now()
            responses.append(new_response(submission, submitted_at=submitted_at, actor=actor))
            answer_rows.append(validated.rows)
        with transaction.atomic():
            Response.objects.bulk_create(responses)
            Answer.objects.bulk_create(
                answer
                for response, rows in zip(responses, answer_rows, strict=True)
                for answer in answer_objects(response, rows)
            )
        result.stored += len(responses)
    return result
