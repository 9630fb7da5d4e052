"""Messages to citizens about their case: the acknowledgement and the answer with the link to
rate the handling. Sent only to an email the person gave with consent; sending never blocks or
undoes the case (called after commit, failures logged).

Nobody verified that the address belongs to the person who typed it: anyone can type a
stranger's address on the public form. So a mail never quotes what was typed (subject, content,
name) — it is a neutral message with our code, the date and our link, and cannot be used to
send somebody else's words from the agency's address."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)
LINK_SALT = "hailong.feedback.case-link"


def case_link_token(code: str) -> str:
    """A token that opens the case's public page without typing the phone digits: it goes only
    to the address the citizen gave. It carries when it was signed (signing.dumps is
    timestamped) and works for settings.HAILONG_CASE_LINK_DAYS."""
    return signing.dumps(code, salt=LINK_SALT, compress=True)


def code_from_token(token: str) -> tuple[str | None, bool]:
    """(the case code, whether the link has expired); (None, False) for a token we did not
    sign. A mail forwarded or left in an old inbox must not open the case for ever; an expired
    link still names its case, so the lookup page can ask for the digits of that code."""
    try:
        return signing.loads(
            token, salt=LINK_SALT, max_age=timedelta(days=settings.HAILONG_CASE_LINK_DAYS)
        ), False
    except signing.SignatureExpired:
        return signing.loads(token, salt=LINK_SALT), True
    except signing.BadSignature:
        return None, False


def case_public_url(case) -> str:
    path = reverse("public:case_link", kwargs={"token": case_link_token(case.code)})
    return settings.HAILONG_PUBLIC_URL.rstrip("/") + path


def _send(case, subject: str, body: str, *, sms: str = "") -> None:
    """Email when the person gave an address; otherwise an SMS (through the configurable
    HAILONG_SMS_BACKEND) when they gave a phone number and `sms` says what to text."""
    if not case.consent_at:
        return
    try:
        if case.contact_email:
            send_mail(subject, body, None, [case.contact_email])
        elif case.contact_phone and sms:
            import_string(settings.HAILONG_SMS_BACKEND)(case.contact_phone, sms)
    except Exception:  # a mail server or gateway down must not undo the case
        logger.exception("Could not notify the citizen of case %s", case.code)


def acknowledge(case) -> None:
    with translation.override("vi"):
        _send(
            case,
            _("Received: your case %(code)s") % {"code": case.code},
            _(
                "We received a case sent with this e-mail address on %(day)s.\n"
                "Tracking code: %(code)s\n"
                "Follow its progress here: %(url)s\n"
                "If you did not send it, you can ignore this message.\n"
            )
            % {
                "day": case.received_on.strftime("%d/%m/%Y"),
                "code": case.code,
                "url": case_public_url(case),
            },
            # A case taken by phone has no paper receipt: the code goes by SMS.
            sms=_("Received: your case code is %(code)s. Follow it at %(url)s")
            % {"code": case.code, "url": case_public_url(case)}
            if case.channel == "phone"
            else "",
        )


def answered(case) -> None:
    with translation.override("vi"):
        _send(
            case,
            _("Answer to your case %(code)s") % {"code": case.code},
            _(
                "Your case %(code)s has been answered.\n"
                "Read the answer and tell us how satisfied you are with the handling: %(url)s\n"
            )
            % {"code": case.code, "url": case_public_url(case)},
            sms=_("Your case %(code)s has been answered. Read it and rate the handling: %(url)s")
            % {"code": case.code, "url": case_public_url(case)},
        )
