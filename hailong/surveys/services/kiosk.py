"""Counter kiosks: device registration and token authentication, and storing a tap.

A tablet holds a long random token (shown once at registration, stored hashed). Taps made
while the network is down are queued on the tablet and re-sent with the same idempotency key,
so each tap is stored exactly once however often it is sent."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from hailong.core.audit import audit_record
from hailong.core.periods import LOCAL_TZ
from hailong.organisation.models import ServicePoint, Staff
from hailong.surveys.models import Channel, KioskDevice
from hailong.surveys.schema import reasons_only_with_lowest, schema_for
from hailong.surveys.selectors.kiosk import kiosk_version, token_hash
from hailong.surveys.services.responses import Stored, Submission, response_submit

# A queued tap carries the tablet's clock; trust it within these bounds, else use the server's.
MAX_TAP_AGE = timedelta(days=14)
MAX_CLOCK_AHEAD = timedelta(minutes=10)


@transaction.atomic
def kiosk_device_register(
    *, point: ServicePoint, name: str, actor: Staff
) -> tuple[KioskDevice, str]:
    """Create a device and return it with its token (the only time the token is visible)."""
    token = secrets.token_urlsafe(32)
    device = KioskDevice.objects.create(
        service_point=point, name=name, token_hash=token_hash(token), token_prefix=token[:6]
    )
    audit_record(
        actor=actor,
        action="kiosk_device.create",
        target=device,
        after={"service_point": point.pk, "name": name},
    )
    return device, token


def kiosk_device_report(*, device: KioskDevice, stuck: int, error: str) -> None:
    """What the tablet says of itself: it is alive, and how many taps it keeps that the server
    refused (shown on the service point's collection page). Not a staff action: no audit row."""
    KioskDevice.objects.filter(pk=device.pk).update(
        last_seen_at=timezone.now(), stuck_taps=stuck, stuck_error=error[:200] if stuck else ""
    )


def tap_time(claimed: datetime | None) -> datetime:
    now = timezone.now()
    if claimed is None or claimed.tzinfo is None:
        return now
    if now - MAX_TAP_AGE <= claimed <= now + MAX_CLOCK_AHEAD:
        return min(claimed, now)
    return now


def kiosk_tap_store(
    *,
    device: KioskDevice,
    key: str,
    answers: dict,
    tapped_at: datetime | None,
    request_fingerprint: str = "",
) -> Stored:
    submitted_at = tap_time(tapped_at)
    campaign, version = kiosk_version(device, submitted_at.astimezone(LOCAL_TZ).date())
    if version is not None:  # reasons belong to the lowest face (the tablet sends none else)
        answers = reasons_only_with_lowest(schema_for(version), answers)
    stored = response_submit(
        Submission(
            version=version,
            unit=device.service_point.unit,
            channel=Channel.KIOSK,
            answers=answers,
            campaign=campaign,
            service_point=device.service_point,
            idempotency_key=f"kiosk:{device.pk}:{key}",
            request_fingerprint=request_fingerprint,
            submitted_at=submitted_at,
        )
    )
    KioskDevice.objects.filter(pk=device.pk).update(last_seen_at=timezone.now())
    return stored
