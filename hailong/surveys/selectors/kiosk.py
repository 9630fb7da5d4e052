"""Reads of counter kiosks: the device a token belongs to, and what it asks today."""

from __future__ import annotations

import hashlib

from hailong.surveys.models import Channel, KioskDevice, QuestionnaireVersion, VersionStatus
from hailong.surveys.selectors.campaigns import campaign_for

KIOSK_QUESTIONNAIRE = "nhanh"


def kiosk_device_for_token(token: str) -> KioskDevice | None:
    if not token or len(token) > 200:
        return None
    return (
        KioskDevice.objects.select_related("service_point__unit")
        .filter(token_hash=token_hash(token), is_active=True, service_point__is_active=True)
        .first()
    )


def kiosk_version(device: KioskDevice, on_day) -> tuple[object | None, QuestionnaireVersion]:
    """The campaign a kiosk answers (if one is open for it) and the questionnaire version shown.
    Without an open campaign the tablet still works: taps are kept with the latest published
    counter questionnaire, outside any campaign, rather than refused and lost."""
    campaign = campaign_for(device.service_point.unit, channel=Channel.KIOSK, on_day=on_day)
    if campaign is not None:
        return campaign, campaign.version
    version = (
        QuestionnaireVersion.objects.filter(
            questionnaire__code=KIOSK_QUESTIONNAIRE, status=VersionStatus.PUBLISHED
        )
        .select_related("questionnaire")
        .order_by("-number")
        .first()
    )
    return None, version


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
