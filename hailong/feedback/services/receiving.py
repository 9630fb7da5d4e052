"""Receiving a case from any channel (desk, public form, API, the survey loop)."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hailong.core.audit import audit_record
from hailong.core.periods import LOCAL_TZ
from hailong.core.phones import phone_digits
from hailong.core.ratelimit import rate_limit_exceeded, rate_limit_hit
from hailong.feedback import notifications
from hailong.feedback.deadlines import apply_deadlines
from hailong.feedback.dossier_links import dossiers_pakn_refresh, pakn_links
from hailong.feedback.intake import (
    CONSENT_TEXT_VI,
    CaseIntake,
    clean_intake,
)
from hailong.feedback.models import (
    Case,
    CaseAttachment,
    CaseEvent,
    CaseEventKind,
    CaseKind,
    CaseStatus,
)
from hailong.feedback.services.common import (
    CaseKeyReused,
    CaseRateExceeded,
    CaseRejected,
    new_code,
)
from hailong.organisation.models import Staff


def case_receive(
    intake: CaseIntake,
    *,
    actor: Staff | None = None,
    source_response=None,
    notify: bool = True,
    origin: str | None = None,
) -> tuple[Case, bool]:
    """Open a case from what a citizen, clerk, connected system or survey sent.

    `origin` is who sent it when nobody on the staff did ("ip:<address>" or "api-key:<id>",
    request_context.current_origin()): every way a case is opened from outside (the public
    form, the API, the survey loop behind the QR form, kiosk and API) counts against the one
    HAILONG_CASE_OPEN_RATE of that origin. Staff intake (an audited staff action) has none.

    Returns (case, created); an idempotency key seen before returns the earlier case.
    Raises CaseRejected with every problem of the intake at once, CaseRateExceeded when the
    origin has opened its cases for the window."""
    if intake.idempotency_key:
        earlier = Case.objects.filter(idempotency_key=intake.idempotency_key).first()
        if earlier is not None:
            return _replay(intake, earlier), False
    errors = clean_intake(intake)
    if errors:
        raise CaseRejected(_("Some fields need your attention."), errors)
    if origin is not None and not case_opening_allowed(origin=origin):
        raise CaseRateExceeded(
            _(
                "Too many cases have been sent from this connection in a short time. "
                "Please wait and press “Send” again: what you wrote is kept below."
            )
        )
    received_at = intake.received_at or timezone.now()
    with transaction.atomic():
        case, created = _store_case(intake, received_at, actor, source_response)
        if created and notify:
            transaction.on_commit(lambda: notifications.acknowledge(case))
        return case, created


def case_opening_allowed(*, origin: str) -> bool:
    """Count one case opened by `origin`; False once it is over the one rate of every way a
    case is opened from outside (defined once: settings.HAILONG_CASE_OPEN_RATE)."""
    limit, window = settings.HAILONG_CASE_OPEN_RATE
    return rate_limit_hit(f"case-open:{origin}", limit=limit, window_seconds=window)


def case_opening_exhausted(*, origin: str | None) -> bool:
    """True when `origin` has used up its cases for the window (counts nothing): lets a page
    refuse a flood before validating uploads."""
    limit, window = settings.HAILONG_CASE_OPEN_RATE
    if origin is None:
        return False
    return rate_limit_exceeded(f"case-open:{origin}", limit=limit, window_seconds=window)


def _replay(intake: CaseIntake, earlier: Case) -> Case:
    """The case stored the first time with this key, unless the key now comes with another
    request (both fingerprints known and different): that is refused, as payment APIs do,
    rather than answered with the first case as if this request had been taken."""
    stored, sent = earlier.idempotency_fingerprint, intake.request_fingerprint
    if stored and sent and stored != sent:
        raise CaseKeyReused(
            _(
                "This idempotency key was already used with a different request; nothing was "
                "stored. Send a new key for a new case."
            ),
            {"idempotency_key": _("Already used with a different request.")},
        )
    return earlier


# A case typed in more than this after it arrived says when it was entered.
ENTERED_LATER_AFTER = timedelta(minutes=30)


def entered_later_note(received_at: datetime, entered: datetime) -> str:
    if entered - received_at <= ENTERED_LATER_AFTER:
        return ""
    with translation.override("vi"):  # history is written in the data's language
        return _("Entered in the register at %(moment)s.") % {
            "moment": entered.astimezone(LOCAL_TZ).strftime("%H:%M %d/%m/%Y")
        }


def _store_case(intake: CaseIntake, received_at, actor, source_response) -> tuple[Case, bool]:
    unit = intake.unit
    case = Case(
        kind=intake.kind,
        channel=intake.channel,
        title=intake.title,
        content=intake.content,
        remedy_sought=intake.remedy_sought[:4000],
        unit=unit,
        # A denunciation is handled above the unit it is about (Luật Tố cáo 2018 art. 12–13:
        # by the head of the agency managing the people denounced), never by that unit: it
        # starts with the parent unit, and the desk routes it on. Other cases start with the
        # unit concerned.
        handling_unit=(unit.parent or unit) if intake.kind == CaseKind.DENUNCIATION else unit,
        service=intake.service,
        dossier_code=intake.dossier_code,
        is_complex=intake.is_complex,
        is_remote=intake.is_remote,
        instance=intake.instance,
        received_at=received_at,
        received_on=received_at.astimezone(LOCAL_TZ).date(),
        idempotency_key=intake.idempotency_key or None,
        idempotency_fingerprint=intake.request_fingerprint[:64] if intake.idempotency_key else "",
        source_response=source_response,
        created_by=actor,
    )
    if intake.has_contact:
        digits = phone_digits(intake.contact_phone)
        case.contact_name = intake.contact_name[:150]
        case.contact_phone = intake.contact_phone[:30]
        case.contact_email = intake.contact_email[:254]
        case.contact_address = intake.contact_address[:300]
        # The last 4 digits of the phone open the public page with the code; without a
        # phone, a random PIN printed on the receipt does (a named case must not open with
        # the code alone: the code travels in links and on paper).
        case.lookup_pin = digits[-4:] if len(digits) >= 4 else f"{secrets.randbelow(10000):04d}"
        case.consent_text = intake.consent_text or CONSENT_TEXT_VI
        case.consent_at = received_at
    apply_deadlines(case)
    for _attempt in range(5):
        case.code = new_code()
        try:
            with transaction.atomic():
                case.save()
                break
        except IntegrityError:
            if intake.idempotency_key:
                earlier = Case.objects.filter(idempotency_key=intake.idempotency_key).first()
                if earlier is not None:
                    return _replay(intake, earlier), False
            continue  # the code was taken: draw another
    else:  # pragma: no cover (32^8 codes)
        raise CaseRejected(_("The case could not be stored; please try again."))
    if case.kind == CaseKind.PAKN:
        # The dossier it names (if registered) is now "with a PAKN" (QĐ 766).
        dossiers_pakn_refresh(pakn_links(case))
    for upload in intake.attachments:
        attachment = CaseAttachment(
            case=case,
            original_name=upload.name[:200],
            content_type=upload.content_type[:100],
            size=len(upload.data),
            uploaded_by=actor,
        )
        attachment.file.save(upload.name, ContentFile(upload.data), save=False)
        attachment.save()
    entered = timezone.now()
    event = CaseEvent.objects.create(
        case=case,
        actor=actor,
        kind=CaseEventKind.STATUS,
        to_status=CaseStatus.RECEIVED,
        is_public=True,
        text=entered_later_note(received_at, entered),
    )
    # The history starts when the agency received the case (a letter's date of arrival), not
    # when a clerk typed it in: `at` is filled on insert, so it is set after.
    CaseEvent.objects.filter(pk=event.pk).update(at=received_at)
    if actor is not None:
        audit_record(
            actor=actor,
            action="case.create",
            target=case,
            after={"kind": case.kind, "channel": case.channel, "unit": unit.pk},
        )
    return case, True
