"""Messages to citizens about their case: the acknowledgement and the answer with the link to
rate the handling. Sent only to an email the person gave with consent; sending never blocks or
undoes the case (called after commit, failures logged)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)
LINK_SALT = "hailong.feedback.case-link"


def case_link_token(code: str) -> str:
    """A token that opens the case's public page without typing the phone digits: it goes only
    to the address the citizen gave."""
    return signing.dumps(code, salt=LINK_SALT, compress=True)


def code_from_token(token: str) -> str | None:
    try:
        return signing.loads(token, salt=LINK_SALT)
    except signing.BadSignature:
        return None


def case_public_url(case) -> str:
    path = reverse("public:case_link", kwargs={"token": case_link_token(case.code)})
    return settings.HAILONG_PUBLIC_URL.rstrip("/") + path


def _send(case, subject: str, body: str) -> None:
    if not case.contact_email or not case.consent_at:
        return
    try:
        send_mail(subject, body, None, [case.contact_email])
    except Exception:  # a mail server down must not undo the case
        logger.exception("Could not email case %s", case.code)


def acknowledge(case) -> None:
    with translation.override("vi"):
        _send(
            case,
            _("Received: your case %(code)s") % {"code": case.code},
            _(
                "We have received your case “%(title)s” on %(day)s.\n"
                "Tracking code: %(code)s\n"
                "Follow its progress here: %(url)s\n"
            )
            % {
                "title": case.title,
                "day": case.received_on.strftime("%d/%m/%Y"),
                "code": case.code,
                "url": case_public_url(case),
            },
        )


def answered(case) -> None:
    with translation.override("vi"):
        _send(
            case,
            _("Answer to your case %(code)s") % {"code": case.code},
            _(
                "Your case “%(title)s” (code %(code)s) has been answered.\n"
                "Read the answer and tell us how satisfied you are with the handling: %(url)s\n"
            )
            % {"title": case.title, "code": case.code, "url": case_public_url(case)},
        )
