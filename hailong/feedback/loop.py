"""The closed loop from surveys to cases: an unsatisfied response whose respondent consented
to be contacted opens a follow-up case, so somebody calls the person back (ISO 10004).

A hook of the responses' write path (settings.HAILONG_RESPONSE_HOOKS), called inside the
response's transaction: the case exists exactly when the response does, whatever the channel.
Only a respondent who left a way to be reached, with consent, gets a case; file imports and
demo data carry no contact details, so they open none.
"""

from __future__ import annotations

import logging

from hailong.core.request_context import current_origin
from hailong.feedback.intake import CaseIntake
from hailong.feedback.models import CaseChannel, CaseKind
from hailong.feedback.services import CaseRateExceeded, CaseRejected, case_receive
from hailong.surveys.models import Channel
from hailong.surveys.schema import schema_for

logger = logging.getLogger(__name__)

# Typed in by staff (paper forms at the desk, file imports): a staff action, audited, not
# limited. Every other channel is someone outside the agency sending (QR form, invitation,
# kiosk, API) and its follow-up cases count against the one case rate of its origin.
STAFF_CHANNELS = {Channel.PAPER, Channel.IMPORT}

# Unsatisfied: "Rất không hài lòng" or "Không hài lòng" on the 5-point scale, "Chưa hài lòng"
# on the 3-level rating.
UNSATISFIED_AT_MOST = {"scale5": 2, "rating3": 1}


def unsatisfied_items(schema, rows) -> list:
    """The rated items of a response answered "unsatisfied", in questionnaire order."""
    by_id = {item.id: item for item in schema.items}
    found = []
    for row in rows:
        item = by_id.get(row.item_id)
        if item is None or item.is_profile or row.value is None:
            continue
        limit = UNSATISFIED_AT_MOST.get(item.kind)
        if limit is not None and row.value <= limit:
            found.append((item, row.value))
    return found


def on_response_changes(changes) -> None:
    """The write path's hook: a follow-up case for each newly stored unsatisfied response."""

    for change in changes:
        response = change.response
        if change.kind == "stored" and response.consent_id:
            follow_up_unsatisfied(
                response=response,
                schema=schema_for(response.version),
                rows=change.added,
                consent=response.consent,
                origin=None if response.channel in STAFF_CHANNELS else current_origin(),
            )


def follow_up_unsatisfied(*, response, schema, rows, consent, origin=None) -> object | None:
    """Open the follow-up case of a response, or None when it is not unsatisfied, the person
    left no way (phone or email) to reach them, or `origin` is over the one case rate.

    An API key with only the `responses` scope does open these cases, on purpose: the case
    is the agency's promise to call back a respondent who asked for it (their consent, not
    the key's rights), and refusing it would drop real citizens whose survey arrives through
    a connected system. What the key controls is bounded: the kind, title and wording are
    fixed here, the unit is the response's (inside the key's units), and the cases count
    against the key's own case rate (origin "api-key:<id>"), like any other way in."""
    if consent is None or not (consent.phone or consent.email):
        return None
    items = unsatisfied_items(schema, rows)
    if not items:
        return None

    lines = [f"Người dân chưa hài lòng khi đánh giá (phiếu khảo sát #{response.pk}):"]
    for item, value in items:
        label = next((o.label_vi for o in item.options if o.value == value), str(value))
        lines.append(f"- {item.code}. {item.text_vi}: {label}")
    if response.comment:
        lines.append(f"Ý kiến: {response.comment}")
    try:
        case, _created = case_receive(
            CaseIntake(
                kind=CaseKind.PAKN,
                channel=CaseChannel.SURVEY,
                unit=response.unit,
                title="Liên hệ lại người dân chưa hài lòng khi đánh giá",
                content="\n".join(lines),
                service=response.service,
                dossier_code=response.dossier_code,
                contact_name=consent.name,
                contact_phone=consent.phone,
                contact_email=consent.email,
                consent_given=True,
                consent_text=consent.text,
                # Received when the agency learns of it (a kiosk may sync hours later): the
                # deadline runs from now, not from when the form was filled in.
            ),
            source_response=response,
            origin=origin,
        )
    except CaseRateExceeded:
        # Over the rate: the response is stored all the same (never lost, and its unsatisfied
        # answers count in every statistic); only the automatic call-back is not opened. The
        # desk finds it in the response list (unsatisfied, with contact details).
        logger.warning("No follow-up case for response %s: over the rate", response.pk)
        return None
    except CaseRejected:
        # Contact details the survey accepted but a case refuses (e.g. a phone number in an
        # unusual format): the response stands; the desk sees it in the response list.
        return None
    return case
