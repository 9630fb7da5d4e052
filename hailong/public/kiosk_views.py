"""The counter kiosk: one HTML page that runs on the tablet, and a small JSON API it calls with
its device token (Authorization: Device <token>)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from hailong.core.json_body import JsonRejected, fingerprint, json_object_from_request
from hailong.core.periods import LOCAL_TZ
from hailong.core.ratelimit import rate_limit_hit
from hailong.surveys.selectors.kiosk import (
    KioskUnusable,
    kiosk_device_for_token,
    kiosk_items,
    kiosk_version,
)
from hailong.surveys.services.kiosk import kiosk_device_report, kiosk_tap_store
from hailong.surveys.services.responses import SubmissionRejected

TAP_KEY_MAX = 60


def _device(request: HttpRequest):
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    return kiosk_device_for_token(token.strip()) if scheme == "Device" else None


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": code, "message": message}, status=status)


def _device_post(request: HttpRequest, counter: str):
    """What every tablet POST starts with: the device token, the device's rate under `counter`
    (taps and status reports count apart, so reports never cost taps), the JSON body.
    Returns (device, body, None) or (None, None, the error answer)."""
    device = _device(request)
    if device is None:
        message = _("This tablet is not registered or has been disabled.")
        return None, None, _error(401, "device", message)
    limit, window = settings.HAILONG_KIOSK_RATE
    if not rate_limit_hit(f"{counter}:{device.pk}", limit=limit, window_seconds=window):
        message = _("Too many taps in a short time; try again shortly.")
        return None, None, _error(429, "rate_limited", message)
    try:
        body = json_object_from_request(request, max_bytes=settings.HAILONG_PUBLIC_MAX_BYTES)
    except JsonRejected as rejected:
        return None, None, _error(rejected.status, rejected.code, rejected.message)
    return device, body, None


@require_GET
def kiosk_page(request: HttpRequest):
    # The page's words for its script, as data (json_script): no inline script runs (CSP).
    text = {
        "pending": _("Waiting to send: {n} (kept on this tablet until the network returns)"),
        "offline": _("No network: ratings are kept on this tablet."),
        "offlinePending": _(
            "No network: {n} ratings are kept on this tablet and will be sent when it returns."
        ),
        "badToken": _("This token is not valid."),
        # Discreet, for staff: the citizen's tap is kept, it is the server that refused it.
        "stuck": _("{n} kept, not accepted: see the service point page"),
        "unusable": _("This tablet cannot take ratings now."),
    }
    return render(request, "public/kiosk.html", {"kiosk_text": text})


@require_GET
def kiosk_service_worker(request: HttpRequest):
    response = render(request, "public/kiosk_sw.js", content_type="text/javascript")
    response["Cache-Control"] = "no-cache"  # the browser checks for a new worker every load
    return response


@require_GET
def kiosk_config(request: HttpRequest):
    device = _device(request)
    if device is None:
        return _error(401, "device", _("This tablet is not registered or has been disabled."))
    campaign, version = kiosk_version(device, timezone.now().astimezone(LOCAL_TZ).date())
    try:
        rating, reasons = kiosk_items(campaign, version)
    except KioskUnusable as unusable:
        # 409: the server works, what it was set up with does not fit a kiosk. The tablet shows
        # the message until staff fix the campaign (a 5xx would look like an outage).
        return _error(409, unusable.code, unusable.message)
    return JsonResponse(
        {
            "unit": device.service_point.unit.name,
            "point": device.service_point.name,
            "question": rating.text_vi,
            "rating_code": rating.code,
            "ratings": [
                {"code": o.code, "label": o.label_vi, "value": o.value} for o in rating.options
            ],
            "reasons_code": reasons.code if reasons else None,
            "reasons": [{"code": o.code, "label": o.label_vi} for o in reasons.options]
            if reasons
            else [],
            "campaign": campaign.name if campaign else None,
        }
    )


@csrf_exempt
@require_POST
def kiosk_status(request: HttpRequest):
    """The tablet's report on itself: alive, and how many refused taps it keeps."""
    device, report, refusal = _device_post(request, "kiosk-status")
    if refusal:
        return refusal
    try:
        stuck, error = report["stuck"], str(report.get("error") or "")
    except (KeyError, TypeError):
        return _error(400, "malformed", _("The report could not be read."))
    if not isinstance(stuck, int) or isinstance(stuck, bool) or not 0 <= stuck <= 100_000:
        return _error(400, "malformed", _("The report could not be read."))
    kiosk_device_report(device=device, stuck=stuck, error=error)
    return JsonResponse({"status": "ok"})


@csrf_exempt
@require_POST
def kiosk_taps(request: HttpRequest):
    device, tap, refusal = _device_post(request, "kiosk")
    if refusal:
        return refusal
    try:
        key = tap["key"]
        answers = {str(k): v for k, v in dict(tap["answers"]).items()}
        tapped_at = datetime.fromisoformat(tap["at"]) if tap.get("at") else None
    except (ValueError, KeyError, TypeError):
        return _error(400, "malformed", _("The tap could not be read."))
    if not isinstance(key, str) or not key:
        return _error(400, "malformed", _("The tap could not be read."))
    if len(key) > TAP_KEY_MAX:
        # Refused, never cut: two keys cut to the same prefix would be one tap.
        return _error(400, "malformed", _("The tap's key is longer than 60 characters."))
    try:
        stored = kiosk_tap_store(
            device=device,
            key=key,
            answers=answers,
            tapped_at=tapped_at,
            request_fingerprint=fingerprint({k: v for k, v in tap.items() if k != "key"}),
        )
    except SubmissionRejected as refused:
        # A tap the server cannot take: 422. A key reused with another tap
        # (idempotency_key_reused) is a duplicate, dropped by the tablet; any other refusal
        # (answers the campaign's questionnaire lacks) is kept as stuck and reported, as the
        # fault may be the server's setup (a campaign to fix).
        return JsonResponse(
            {"error": refused.code, "message": refused.message, "errors": refused.errors},
            status=422,
        )
    return JsonResponse(
        {"status": "stored" if stored.created else "duplicate", "id": stored.response.pk},
        status=201 if stored.created else 200,
    )
