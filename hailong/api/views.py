"""Versioned JSON API for integrating systems (e.g. the one-stop-shop software).

Authentication: `Authorization: Bearer <key>`; a key is scoped to endpoints and units.
Errors are JSON: {"error": code, "message": text in Vietnamese, "errors": {field: text}}.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from hailong.analytics.documents import (
    DEFAULT_QUESTIONNAIRE,
    NotAnIndexQuestionnaire,
    indices_document,
)
from hailong.analytics.selectors import Slice
from hailong.api.models import ApiScope
from hailong.api.openapi import OPENAPI
from hailong.api.tokens import api_token_for, token_scope, token_units
from hailong.api.validation import body_errors
from hailong.core.json_body import JsonRejected, fingerprint, json_object_from_request
from hailong.core.periods import LOCAL_TZ, PeriodParseError, parse_period
from hailong.core.phones import canonical_phone
from hailong.core.ratelimit import rate_limit_hit
from hailong.core.request_context import client_ip, current_origin, set_current_origin
from hailong.feedback.intake import CaseIntake
from hailong.feedback.models import CaseChannel, CaseKind
from hailong.feedback.selectors import cases_visible_to
from hailong.feedback.services import CaseKeyReused, CaseRateExceeded, CaseRejected, case_receive
from hailong.organisation.models import Service, Unit
from hailong.surveys.dossiers import DossierInput, DossierRejected, dossier_clean, dossier_upsert
from hailong.surveys.file_import import parse_moment
from hailong.surveys.models import Campaign, Channel, QuestionnaireVersion
from hailong.surveys.selectors.campaigns import campaign_for
from hailong.surveys.services.responses import (
    Contact,
    Submission,
    SubmissionRejected,
    response_submit,
)

API_RATE = (600, 60)  # requests per key per minute


def _error(status: int, code: str, message: str, errors: dict | None = None) -> JsonResponse:
    body = {"error": code, "message": message}
    if errors:
        body["errors"] = errors
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def _authorise(request: HttpRequest, scope: str):
    """(token, None) or (None, error response)."""
    scheme, _sep, raw = request.headers.get("Authorization", "").partition(" ")
    token = api_token_for(raw.strip(), ip=client_ip(request)) if scheme == "Bearer" else None
    if token is None:
        return None, _error(401, "unauthorised", _("The API key is missing, wrong or revoked."))
    if scope not in token.scopes:
        return None, _error(403, "forbidden", _("This API key may not use this endpoint."))
    limit, window = API_RATE
    if not rate_limit_hit(f"api:{token.pk}", limit=limit, window_seconds=window):
        return None, _error(429, "rate_limited", _("Too many requests; slow down."))
    # From here the key is who sends (the case rate counts per key, whatever its address);
    # the request middleware resets it when the request ends.
    set_current_origin(f"api-key:{token.pk}")
    return token, None


def _json_body(request: HttpRequest):
    try:
        body = json_object_from_request(request, max_bytes=settings.HAILONG_PUBLIC_MAX_BYTES)
    except JsonRejected as rejected:
        return None, _error(rejected.status, rejected.code, rejected.message)
    return body, None


def _authorised_json(request: HttpRequest, scope: str, schema: str):
    """(token, body, errors, None) for an allowed key and a JSON object, with the body's
    problems against the document's `schema` (types, required fields, lengths, enums) by
    field: the view adds its own and answers them all at once, never looking up a field the
    schema refused. Else (None, None, None, error)."""
    token, refusal = _authorise(request, scope)
    if refusal:
        return None, None, None, refusal
    body, refusal = _json_body(request)
    if refusal:
        return None, None, None, refusal
    errors = body_errors(schema, body)
    header_key = request.headers.get("Idempotency-Key")
    if header_key is not None and len(header_key) > IDEMPOTENCY_KEY_MAX:
        errors["Idempotency-Key"] = _("At most %(count)s characters.") % {
            "count": IDEMPOTENCY_KEY_MAX
        }
    return token, body, errors, None


def _unit_of(body: dict, token, errors: dict):
    if "unit" in errors:  # refused by the schema already
        return None
    unit = token_units(token).filter(code=str(body.get("unit", "")).upper()).first()
    if unit is None:
        errors["unit"] = _("Unknown unit, or outside what this key may write about.")
    return unit


def _service_of(body: dict, errors: dict) -> Service | None:
    if not body.get("service") or "service" in errors:
        return None
    service = Service.objects.filter(code=str(body["service"])).first()
    if service is None:
        errors["service"] = _("Procedure not in the catalogue.")
    return service


def _moment_of(body: dict, name: str, errors: dict):
    if not body.get(name) or name in errors:
        return None
    moment = parse_moment(str(body[name]))
    if moment is None:
        errors[name] = _("Not a date and time (ISO 8601).")
    return moment


IDEMPOTENCY_KEY_MAX = 60  # as documented; a longer key is refused, never cut (cut keys collide)


def _idempotency_key(request: HttpRequest, body: dict, token) -> str:
    """The client's key for safe retries, namespaced by API key so systems cannot collide
    (its length was checked against IDEMPOTENCY_KEY_MAX with the body)."""
    key = request.headers.get("Idempotency-Key") or str(body.get("idempotency_key") or "")
    return f"api:{token.pk}:{key}" if key else ""


def _request_fingerprint(body: dict) -> str:
    """What a retry must send again: the body, without the key itself (which may come in the
    header or the body)."""
    return fingerprint({k: v for k, v in body.items() if k != "idempotency_key"})


@csrf_exempt
@require_POST
def responses_create(request: HttpRequest):
    with translation.override("vi"):
        token, body, errors, refusal = _authorised_json(request, ApiScope.RESPONSES, "ResponseIn")
        if refusal:
            return refusal
        version = (
            QuestionnaireVersion.objects.filter(
                questionnaire__code=str(body.get("questionnaire", "")), status="published"
            )
            .order_by("-number")
            .first()
        )
        campaign = None
        if body.get("campaign") is not None and "campaign" not in errors:
            campaign = (
                Campaign.objects.filter(pk=body["campaign"]).select_related("version").first()
                if str(body["campaign"]).isdigit()
                else None
            )
            if campaign is None:
                errors["campaign"] = _("No such campaign.")
            else:
                version = campaign.version
        if version is None and not {"campaign", "questionnaire"} & set(errors):
            errors["questionnaire"] = _("No published questionnaire with this code.")
        unit = _unit_of(body, token, errors)
        service = _service_of(body, errors)
        submitted_at = _moment_of(body, "submitted_at", errors)
        answers = body.get("answers")
        if not isinstance(answers, dict):
            errors["answers"] = _("An object of answers by question code is required.")
        if errors:
            return _error(422, "invalid", _("The response was not stored."), errors)
        if campaign is None:
            # Without a campaign named, the open one taking API answers for this unit and
            # questionnaire (so the answer counts in its progress and dossier rule). A date
            # with no local day (year 1 or 9999 in another zone) finds none; the write path
            # says why it is refused.
            moment = submitted_at or timezone.now()
            try:
                on_day = moment.astimezone(LOCAL_TZ).date()
            except OverflowError:
                on_day = None
            campaign = on_day and campaign_for(
                unit,
                channel=Channel.API,
                service=service,
                on_day=on_day,
                questionnaire_code=version.questionnaire.code,
            )
            if campaign is not None and campaign.version_id != version.pk:
                campaign = None
        contact = body.get("contact") if isinstance(body.get("contact"), dict) else {}
        try:
            stored = response_submit(
                Submission(
                    version=version,
                    unit=unit,
                    channel=Channel.API,
                    answers=answers,
                    campaign=campaign,
                    service=service,
                    submitted_at=submitted_at,
                    dossier_code=str(body.get("dossier_code") or ""),
                    comment=str(body.get("comment") or ""),
                    idempotency_key=_idempotency_key(request, body, token),
                    request_fingerprint=_request_fingerprint(body),
                    contact=Contact(
                        name=str(contact.get("name", "")),
                        phone=canonical_phone(str(contact.get("phone", ""))),
                        consent_given=contact.get("consent") is True,
                    ),
                )
            )
        except SubmissionRejected as refused:
            # 409: the response exists already (dossier, serial); 422 for the rest, a key
            # reused with another request included (as the IETF Idempotency-Key draft says).
            status = 409 if refused.code.startswith("duplicate") else 422
            return _error(status, refused.code, refused.message, refused.errors)
        return JsonResponse(
            {
                "id": stored.response.pk,
                "status": "created" if stored.created else "duplicate",
                "dossier_linked": stored.response.dossier_id is not None,
            },
            status=201 if stored.created else 200,
        )


@csrf_exempt
@require_POST
def dossiers_create(request: HttpRequest):
    with translation.override("vi"):
        token, body, errors, refusal = _authorised_json(request, ApiScope.DOSSIERS, "DossierIn")
        if refusal:
            return refusal
        fields = {
            name: str(body.get(name) or "")
            for name in (
                "code",
                "unit",
                "service",
                "received_at",
                "due_at",
                "returned_at",
                "channel",
            )
        }
        try:
            values = dossier_clean(DossierInput(**fields), allowed_units=token_units(token))
        except DossierRejected as rejected:
            errors, values = {**rejected.errors, **errors}, None
        if errors or values is None:
            return _error(422, "invalid", _("The dossier was not stored."), errors)
        dossier, created = dossier_upsert(values=values, scope=token_scope(token))
        return JsonResponse(
            {
                "code": dossier.code,
                "status": "created" if created else "updated",
                "responses_linked": dossier.responses.count(),
            },
            status=201 if created else 200,
        )


def _case_json(case) -> dict:
    """What a connected system learns about a case: its state and deadlines, never the
    person's contact details (they stay with the agency that received them)."""
    return {
        "code": case.code,
        "kind": case.kind,
        "channel": case.channel,
        "status": case.status,
        "unit": case.unit.code,
        "handling_unit": case.handling_unit.code,
        "service": case.service.code if case.service_id else None,
        "dossier_code": case.dossier_code or None,
        "received_at": case.received_at.isoformat(),
        "accept_due_on": _day(case.accept_due_on),
        "answer_due_on": _day(case.answer_due_on),
        "due_on": _day(case.due_on),
        "instance": case.instance,
        "answered_on": _day(case.answered_on),
        "rating": case.rating,
    }


def _day(value):
    return value.isoformat() if value else None


@csrf_exempt
@require_POST
def cases_create(request: HttpRequest):

    with translation.override("vi"):
        token, body, errors, refusal = _authorised_json(request, ApiScope.CASES, "CaseIn")
        if refusal:
            return refusal
        unit = _unit_of(body, token, errors)
        kind = str(body.get("kind", ""))
        if kind not in CaseKind.values and "kind" not in errors:
            errors["kind"] = _("One of: %(kinds)s.") % {"kinds": ", ".join(CaseKind.values)}
        channel = str(body.get("channel") or CaseChannel.API)
        if (channel not in CaseChannel.values or channel == CaseChannel.SURVEY) and (
            "channel" not in errors
        ):
            errors["channel"] = _("Not a channel cases arrive by.")
        service = _service_of(body, errors)
        instance = str(body.get("instance") or "first")  # checked by the intake
        received_at = _moment_of(body, "received_at", errors)  # bounded by the intake
        contact = body.get("contact") if isinstance(body.get("contact"), dict) else {}
        if errors:
            return _error(422, "invalid", _("The case was not stored."), errors)
        try:
            case, created = case_receive(
                CaseIntake(
                    kind=kind,
                    channel=channel,
                    unit=unit,
                    title=str(body.get("title") or ""),
                    content=str(body.get("content") or ""),
                    remedy_sought=str(body.get("remedy_sought") or ""),
                    service=service,
                    dossier_code=str(body.get("dossier_code") or ""),
                    contact_name=str(contact.get("name") or ""),
                    contact_phone=str(contact.get("phone") or ""),
                    contact_email=str(contact.get("email") or ""),
                    contact_address=str(contact.get("address") or ""),
                    consent_given=contact.get("consent") is True,
                    received_at=received_at,
                    instance=instance,
                    idempotency_key=_idempotency_key(request, body, token),
                    request_fingerprint=_request_fingerprint(body),
                ),
                origin=current_origin(),
            )
        except CaseRateExceeded:
            return _error(429, "rate_limited", _("Too many cases from this key; slow down."))
        except CaseKeyReused as refused:
            return _error(422, "idempotency_key_reused", refused.message, refused.errors)
        except CaseRejected as refused:
            return _error(422, "invalid", refused.message, refused.errors)
        body = _case_json(case)
        body["lookup_url"] = request.build_absolute_uri(reverse("public:case_lookup")) + (
            f"?ma={case.code}"
        )
        if created and case.lookup_pin and not case.pin_is_phone:
            # Given once, to the system that took the case, to pass on to the person.
            body["lookup_pin"] = case.lookup_pin
        return JsonResponse(body, status=201 if created else 200)


@csrf_exempt  # read-only: any other method gets the 405 it deserves, not a CSRF 403
@require_GET
def case_read(request: HttpRequest, code: str):
    """A case's state, for a connected system (key with the cases scope, its units) or a
    signed-in staff member (their scope). Anything else is a 404, whether or not it exists."""

    with translation.override("vi"):
        if request.headers.get("Authorization"):
            token, refusal = _authorise(request, ApiScope.CASES)
            if refusal:
                return refusal
            cases = cases_visible_to(token_scope(token))
        elif request.user.is_authenticated:
            cases = cases_visible_to(request.user)
        else:
            return _error(401, "unauthorised", _("The API key is missing, wrong or revoked."))
        case = (
            cases.select_related("unit", "handling_unit", "service")
            .filter(code=code.upper())
            .first()
        )
        if case is None:
            return _error(404, "not_found", _("No such case."))
        return JsonResponse(_case_json(case), json_dumps_params={"ensure_ascii": False})


@require_GET
def openapi(request: HttpRequest):
    return JsonResponse(OPENAPI, json_dumps_params={"ensure_ascii": False, "indent": 1})


@require_GET
def indices(request: HttpRequest):
    """The satisfaction indices of a period (GET period, unit, questionnaire), for a connected
    system (key with the indices scope: its units) or a signed-in staff member (their scope), in
    the JSON shape of `manage.py indices --json`. A unit outside the scope is a 404, whether or
    not it exists."""

    with translation.override("vi"):
        if request.headers.get("Authorization"):
            token, refusal = _authorise(request, ApiScope.INDICES)
            if refusal:
                return refusal
            scope = token_scope(token)
        elif request.user.is_authenticated:
            scope = request.scope
        else:
            return _error(401, "unauthorised", _("The API key is missing, wrong or revoked."))
        errors = {}
        try:
            period = parse_period(request.GET.get("period", ""))
        except PeriodParseError as exc:
            errors["period"] = str(exc)
        code = request.GET.get("questionnaire", "") or DEFAULT_QUESTIONNAIRE
        if errors:
            return _error(422, "invalid", _("The indices were not computed."), errors)
        unit = None
        unit_code = request.GET.get("unit", "")
        if unit_code:
            unit = Unit.objects.filter(scope.unit_filter(), code=unit_code).first()
            if unit is None:
                return _error(404, "not_found", _("No such unit."))
        slice_ = Slice(period=period, scope=scope, unit=unit, questionnaire=code)
        try:
            document = indices_document(slice_, unit_code=unit.code if unit else None)
        except NotAnIndexQuestionnaire as exc:
            return _error(
                422, "invalid", _("The indices were not computed."), {"questionnaire": str(exc)}
            )
        return JsonResponse(document, json_dumps_params={"ensure_ascii": False})
