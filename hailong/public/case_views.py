"""What citizens use for feedback and complaints, without an account: the case form, the
confirmation with the tracking code and receipt, the status lookup and the rating of the
handling.

A case's public page opens only for a browser that proved it may see it (tracking code plus
the last 4 digits of the phone given, the code alone for anonymous cases, or the emailed
link); the proof is kept in the session. It shows public replies and status changes, never
staff names, internal notes, contact details or attachments.
"""

from __future__ import annotations

import hmac
import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hailong.core.ratelimit import rate_limit_exceeded, rate_limit_hit
from hailong.core.request_context import client_ip, current_origin
from hailong.feedback.forms import LookupForm, PublicCaseForm, RatingForm
from hailong.feedback.intake import attachment_response
from hailong.feedback.models import Case, CaseChannel, CaseEventKind, CaseStatus
from hailong.feedback.notifications import code_from_token
from hailong.feedback.receipt import receipt_pdf
from hailong.feedback.services import (
    CaseRateExceeded,
    CaseRejected,
    can_be_rated,
    case_opening_exhausted,
    case_rate,
    case_receive,
)
from hailong.organisation.models import Service, Unit

SESSION_KEY = "hailong_cases"  # codes this browser may open
HONEYPOT = "website"


def allow_case(request: HttpRequest, code: str) -> None:
    codes = [c for c in request.session.get(SESSION_KEY, []) if c != code][-19:]
    request.session[SESSION_KEY] = [*codes, code]


def allowed_case(request: HttpRequest, code: str) -> Case | None:
    if code.upper() not in request.session.get(SESSION_KEY, []):
        return None
    return Case.objects.select_related("unit", "service").filter(code=code.upper()).first()


def _public_form(request: HttpRequest, data=None, files=None) -> PublicCaseForm:
    units = list(Unit.objects.filter(is_active=True))
    services = list(Service.objects.filter(is_active=True).select_related("field"))
    form = PublicCaseForm(data, files, units=units, services=services)
    unit_code = request.GET.get("don-vi", "")
    if not data and unit_code:
        unit = next((u for u in units if u.code == unit_code.upper()), None)
        if unit is not None:
            form.initial["unit"] = unit.pk
    return form


@require_http_methods(["GET", "POST"])
def case_form(request: HttpRequest):
    form = _public_form(request, request.POST or None, request.FILES or None)
    refusal, status = "", 200
    if request.method == "POST":
        if request.POST.get(HONEYPOT):
            raise Http404  # say nothing useful to a bot
        if case_opening_exhausted(origin=current_origin()):
            refusal, status = (
                _(
                    "Too many cases have been sent from this connection in a short time. "
                    "Please wait and press “Send” again: what you wrote is kept below."
                ),
                429,
            )
        elif form.is_valid():
            intake = form.intake(channel=CaseChannel.WEB)
            # One filled-in form is one case: Back, then Send again, in a browser that fetches
            # the page again (survey_form.js keeps the token in the history entry) answers
            # with the case opened the first time, as the survey form does for its responses.
            intake.idempotency_key = _form_key(request.POST.get("form_token", ""))
            try:
                # The one rate of every way a case is opened, keyed by the client address.
                case, _created = case_receive(intake, origin=current_origin())
            except CaseRateExceeded as refused:
                refusal, status = refused.message, 429
            except CaseRejected as refused:
                form.add_service_errors(refused.errors)
                refusal, status = refused.message, 400
            else:
                allow_case(request, case.code)
                return redirect("public:case_filed", code=case.code)
        else:
            refusal, status = _("Some fields need your attention."), 400
    return render(
        request,
        "public/case_form.html",
        {
            "form": form,
            "refusal": refusal,
            "honeypot": HONEYPOT,
            "form_token": _form_token(request.POST.get("form_token", "")),
        },
        status=status,
    )


def _form_token(sent: str) -> str:
    """The page's token: the one it was sent with (a refused form keeps it), else a new one."""
    return sent if _form_key(sent) else uuid.uuid4().hex


def _form_key(token: str) -> str:
    """The idempotency key of one filled-in case form (a token of 32 hex digits), or none."""
    valid = len(token) == 32 and all(c in "0123456789abcdef" for c in token)
    return f"webcase:{token}" if valid else ""


@require_GET
def case_filed(request: HttpRequest, code: str):
    case = allowed_case(request, code)
    if case is None:
        return redirect(reverse("public:case_lookup") + f"?ma={code}")
    return render(request, "public/case_filed.html", {"case": case})


@require_GET
def case_public_receipt(request: HttpRequest, code: str):
    case = allowed_case(request, code)
    if case is None:
        raise Http404
    lookup = request.build_absolute_uri(reverse("public:case_lookup")) + f"?ma={case.code}"
    response = HttpResponse(
        receipt_pdf(case, lookup_url=lookup, show_identity=False), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="giay-tiep-nhan-{case.code}.pdf"'
    return response


@require_GET
def case_public_file(request: HttpRequest, code: str, pk: int):
    """A document the agency published with its answer; never the citizen's own uploads."""
    case = allowed_case(request, code)
    attachment = case.attachments.filter(pk=pk, is_public=True).first() if case else None
    if attachment is None:
        raise Http404
    return attachment_response(attachment)


@require_http_methods(["GET", "POST"])
def case_lookup(request: HttpRequest):
    form = LookupForm(request.POST or None, initial={"code": request.GET.get("ma", "")})
    refusal, status = "", 200
    if request.method == "POST" and form.is_valid():
        limit, window = settings.HAILONG_CASE_LOOKUP_RATE
        code = form.cleaned_data["code"]
        ip = client_ip(request)
        failures, failure_window = settings.HAILONG_CASE_LOOKUP_FAILURES
        # Wrong digits are counted per code *and* address: counted per code alone, anybody
        # could spend a case's attempts and keep its citizen out for the day; the right
        # digits from another address still open it. Spreading guesses over many addresses
        # is bounded by the per-address lookup rate above (10,000 PINs to try).
        failure_key = f"lookup-failed:{code}:{ip}"
        digits = form.cleaned_data.get("phone_last4", "")
        if not rate_limit_hit(f"lookup:{ip}", limit=limit, window_seconds=window):
            refusal, status = _("Too many attempts. Please wait a few minutes and try again."), 429
        elif rate_limit_exceeded(failure_key, limit=failures, window_seconds=failure_window):
            refusal, status = (
                _(
                    "Too many wrong attempts for this code today. Open the link we sent you, "
                    "or ask the reception desk."
                ),
                429,
            )
        else:
            case = Case.objects.filter(code=code).only("code", "lookup_pin").first()
            # One message for every failure: the page must not tell which codes exist.
            if case is not None and hmac.compare_digest(case.lookup_pin, digits):
                allow_case(request, case.code)
                return redirect("public:case_status", code=case.code)
            if not digits:
                # Nothing was guessed: a form error, not a wrong PIN, and worded so that it
                # does not tell whether the code exists or needs digits.
                form.add_error(
                    "phone_last4",
                    _(
                        "The code alone does not open this page: enter the last 4 digits of "
                        "your phone number or the PIN on your receipt."
                    ),
                )
                refusal, status = _("Some fields need your attention."), 400
            else:
                rate_limit_hit(failure_key, limit=failures, window_seconds=failure_window)
                refusal, status = (
                    _(
                        "No case matches this code and these digits. Check the code on your "
                        "receipt; if you gave a phone number, enter its last 4 digits."
                    ),
                    404,
                )
    elif request.method == "POST":
        status = 400
    expired = "het-han" in request.GET and not refusal
    return render(
        request,
        "public/case_lookup.html",
        {
            "form": form,
            "refusal": refusal,
            "link_expired": expired,
            "link_days": settings.HAILONG_CASE_LINK_DAYS,
        },
        status=status,
    )


@require_GET
def case_link(request: HttpRequest, token: str):
    code, expired = code_from_token(token)
    if code is None or not Case.objects.filter(code=code).exists():
        return redirect("public:case_lookup")
    if expired:  # the lookup by code and digits still opens it
        return redirect(reverse("public:case_lookup") + "?" + urlencode({"ma": code, "het-han": 1}))
    allow_case(request, code)
    return redirect("public:case_status", code=code)


# What the citizen reads for each step: plain words, no staff names.
PUBLIC_STEP = {
    CaseStatus.RECEIVED: gettext_lazy("Received"),
    CaseStatus.ACCEPTED: gettext_lazy("Accepted for handling"),
    CaseStatus.REFUSED: gettext_lazy("Not accepted"),
    CaseStatus.ASSIGNED: gettext_lazy("Being handled"),
    CaseStatus.IN_PROGRESS: gettext_lazy("Being handled"),
    CaseStatus.ANSWERED: gettext_lazy("Answered"),
    CaseStatus.CLOSED: gettext_lazy("Closed"),
    CaseStatus.TRANSFERRED: gettext_lazy("Sent to the competent agency"),
}


def public_events(case: Case) -> list[dict]:
    """The case's history as the citizen may see it: no actor, no internal notes."""
    events = []
    for event in case.events.filter(is_public=True).order_by("at", "id"):
        if event.kind == CaseEventKind.STATUS:
            label = event.status_heading(str(PUBLIC_STEP.get(event.to_status, "")))
        elif event.kind == CaseEventKind.REPLY:
            label = _("Message from the agency")
        elif event.kind == CaseEventKind.RATING:
            label = _("Your rating of the handling")
        else:
            continue
        events.append({"at": event.at, "label": label, "text": event.text})
    return events


def _status_page(request, case: Case, *, rating_form=None, refusal="", status=200):
    return render(
        request,
        "public/case_status.html",
        {
            "case": case,
            "step": PUBLIC_STEP.get(case.status, ""),
            "events": public_events(case),
            "documents": case.attachments.filter(is_public=True),
            "can_rate": can_be_rated(case),
            "rating_form": rating_form or RatingForm(),
            "refusal": refusal,
        },
        status=status,
    )


@require_GET
def case_status(request: HttpRequest, code: str):
    case = allowed_case(request, code)
    if case is None:
        return redirect(reverse("public:case_lookup") + f"?ma={code.upper()}")
    return _status_page(request, case)


@require_POST
def case_rate_view(request: HttpRequest, code: str):
    case = allowed_case(request, code)
    if case is None:
        return redirect(reverse("public:case_lookup") + f"?ma={code.upper()}")
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _status_page(
            request,
            case,
            rating_form=form,
            refusal=_("Choose one of the three answers."),
            status=400,
        )
    try:
        case_rate(
            case=case, rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"]
        )
    except CaseRejected as refused:
        return _status_page(request, case, rating_form=form, refusal=refused.message, status=400)
    return redirect("public:case_status", code=case.code)
