"""What citizens use without an account: the survey form reached from a QR code.

Every refusal keeps what the person typed on the page and says why in plain Vietnamese."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hailong.core.periods import LOCAL_TZ
from hailong.core.phones import canonical_phone
from hailong.core.ratelimit import rate_limit_give_back, rate_limit_take
from hailong.core.request_context import client_ip
from hailong.core.text import sentence_case
from hailong.feedback.selectors import follow_up_case_of
from hailong.organisation.models import ServicePoint
from hailong.organisation.selectors import services_at_point, services_of_unit
from hailong.public.case_views import allow_case, allowed_case
from hailong.surveys.invitations import invitation_for_token, invitation_mark_answered
from hailong.surveys.models import Channel
from hailong.surveys.rendering import layout
from hailong.surveys.schema import (
    TEXT_ANSWER_MAX,
    reasons_only_with_lowest,
    reasons_rule,
    schema_for,
)
from hailong.surveys.selectors.campaigns import campaign_for
from hailong.surveys.services.responses import (
    Contact,
    Submission,
    SubmissionRejected,
    campaign_accepts,
    response_submit,
)

HONEYPOT = "website"  # hidden from people; bots fill every field


def _answers_from_post(request: HttpRequest, schema) -> dict:
    answers = {}
    for item in schema.items:
        values = request.POST.getlist(f"q_{item.code}")
        answers[item.code] = values if item.kind == "multi" else (values[0] if values else "")
    return answers


def _form_key(token: str) -> str:
    """The idempotency key of one filled-in form: sending the same page twice (Back, then Send
    again; a double tap) stores it once."""
    return (
        f"web:{token}" if len(token) == 32 and all(c in "0123456789abcdef" for c in token) else ""
    )


def _point_or_404(code: str) -> ServicePoint:
    point = (
        ServicePoint.objects.select_related("unit")
        .filter(code=code.lower(), is_active=True)
        .first()
    )
    if point is None or not point.unit.is_active:
        raise Http404
    return point


@require_http_methods(["GET", "POST"])
def survey_form(request: HttpRequest, point_code: str):
    point = _point_or_404(point_code)
    unit = point.unit
    services = services_at_point(point)
    service_code = request.POST.get("service") or request.GET.get("dv") or ""
    service = services.filter(code=service_code).first() if service_code else None
    today = timezone.now().astimezone(LOCAL_TZ).date()
    campaign = campaign_for(unit, channel=Channel.WEB, on_day=today, service=service)
    if campaign is None:
        return render(request, "public/no_campaign.html", {"point": point}, status=200)
    return survey_page(
        request,
        unit=unit,
        campaign=campaign,
        services=services,
        service=service,
        point=point,
        channel=Channel.WEB,
        key=_form_key(request.POST.get("form_token", "")),
        thanks=lambda case=None: redirect(
            reverse("public:thanks", kwargs={"point_code": point.code})
            + (f"?ma={case.code}" if case else "")
        ),
    )


def survey_page(
    request: HttpRequest,
    *,
    unit,
    campaign,
    services,
    service,
    point,
    channel,
    key: str,
    thanks,
    extra: dict | None = None,
):
    """Show a campaign's form and take it: refusals keep what was typed and say why. Shared by
    the QR form of a counter and the link of an invitation."""
    version = campaign.version
    schema = schema_for(version)
    context = {
        "point": point,
        "unit": unit,
        "campaign": campaign,
        "version": version,
        "services": services,
        "service": service,
        "honeypot": HONEYPOT,
        "dossier_code": "",
        "contact": Contact(),
        "comment": "",
        # The tab's title in sentence case: the form's heading is in capitals, as on paper.
        "page_title": sentence_case(version.title),
        "text_max": TEXT_ANSWER_MAX,
        # A quick form's reasons question shows once its lowest face is chosen (survey_form.js).
        "reasons_rule": reasons_rule(schema),
        # For the comment counter's numbers, grouped as the page's are ("4.000").
        "thousand_separator": get_format("THOUSAND_SEPARATOR"),
        **(extra or {}),
    }
    answers, errors, status = {}, {}, 200
    if request.method == "POST":
        answers = reasons_only_with_lowest(schema, _answers_from_post(request, schema))
        contact = Contact(
            name=request.POST.get("contact_name", ""),
            phone=canonical_phone(request.POST.get("contact_phone", "")),
            consent_given=request.POST.get("consent") == "yes",
        )
        context.update(dossier_code=request.POST.get("dossier_code", ""), contact=contact)
        too_big = int(request.META.get("CONTENT_LENGTH") or 0) > settings.HAILONG_PUBLIC_MAX_BYTES
        # Only stored forms count: a hall on one guest Wi-Fi shares an address, and a few
        # people's mistakes (a missing answer, a wrong phone) must not lock everybody out. The
        # hit is taken before storing (check and count in one step, so two forms sent at the
        # same moment cannot both take the last one) and given back when nothing was stored.
        limit, window = settings.HAILONG_WEB_FORM_RATE
        rate_key = f"web:{client_ip(request)}"
        if request.POST.get(HONEYPOT):
            return thanks()  # say nothing to a bot
        if too_big:
            context["refusal"] = _("The form is too long to send. Please shorten your answers.")
            status = 413
        elif (slot := rate_limit_take(rate_key, limit=limit, window_seconds=window)) is None:
            context["refusal"] = _(
                "Too many forms have been sent from this connection in a short time. "
                "Please wait a few minutes and press “Send” again: your answers are kept below."
            )
            status = 429
        else:
            chosen = request.POST.get("service")
            submission = Submission(
                idempotency_key=key,
                version=version,
                unit=unit,
                channel=channel,
                answers=answers,
                campaign=campaign,
                service=next((s for s in services if s.code == chosen), service),
                service_point=point,
                dossier_code=request.POST.get("dossier_code", ""),
                contact=contact,
            )
            stored = None
            try:
                stored = response_submit(submission)
            except SubmissionRejected as refused:
                context["refusal"] = refused.message
                errors = refused.errors
                status = 409 if refused.code.startswith("duplicate") else 400
            finally:
                if stored is None or not stored.created:  # refused, or a re-sent page
                    rate_limit_give_back(slot)
            if stored is not None:
                # An unsatisfied respondent who asked to be called back has a follow-up case
                # (opened by the write path's hook): this browser may open it, as the
                # person's own, and the thank-you page gives its code.
                case = follow_up_case_of(stored.response)
                if case is not None:
                    allow_case(request, case.code)
                return thanks(case)
    sections, profile = layout(schema, version, answers=answers, errors=errors)
    context.update(
        sections=sections,
        profile=profile,
        errors=errors,
        form_token=request.POST.get("form_token") or uuid.uuid4().hex,
        # The questions to fix, listed at the top with links (the form is long on a phone).
        error_items=[item for section in sections for item in section.items if item.error]
        + [item for item in profile if item.error],
    )
    return render(request, "public/survey_form.html", context, status=status)


@require_GET
def survey_thanks(request: HttpRequest, point_code: str):
    point = _point_or_404(point_code)
    # The code only when this browser sent the form (the case page's proof, in the session).
    code = request.GET.get("ma", "")
    case = allowed_case(request, code) if code else None
    return render(request, "public/thanks.html", {"point": point, "case": case})


@require_http_methods(["GET", "POST"])
def invitation_form(request: HttpRequest, token: str):
    """The single-use link sent to a regular customer: it answers once."""

    invitation = invitation_for_token(token)
    if invitation is None:
        return render(request, "public/invitation_invalid.html", status=404)
    campaign = invitation.campaign
    unit = invitation.customer.unit or campaign.units.order_by("path").first()
    if invitation.answered_at is not None:
        return render(request, "public/invitation_done.html", {"unit": unit, "already": True})
    today = timezone.now().astimezone(LOCAL_TZ).date()
    if campaign_accepts(campaign, channel=Channel.INVITATION, on_day=today):
        return render(request, "public/no_campaign.html", {"unit": unit})
    key = f"invite:{invitation.pk}"

    def thanks(case=None):
        invitation_mark_answered(invitation, key)
        return render(request, "public/invitation_done.html", {"unit": unit, "case": case})

    return survey_page(
        request,
        unit=unit,
        campaign=campaign,
        services=services_of_unit(unit).filter(is_active=True).order_by("sort_name"),
        service=None,
        point=None,
        channel=Channel.INVITATION,
        key=key,
        thanks=thanks,
        extra={"invited": invitation.customer},
    )
