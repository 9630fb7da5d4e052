"""Reads of counter kiosks: the device a token belongs to, and what it asks today."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from hailong.organisation.models import ServicePoint
from hailong.surveys.models import (
    Campaign,
    Channel,
    ItemKind,
    KioskDevice,
    QuestionnaireVersion,
    VersionStatus,
)
from hailong.surveys.schema import ItemSpec, schema_for
from hailong.surveys.selectors.campaigns import campaign_for, campaigns_serving

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


class KioskUnusable(Exception):
    """The tablet cannot ask anything today; `message` says why, in words staff can act on."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def kiosk_items(
    campaign: Campaign | None, version: QuestionnaireVersion | None
) -> tuple[ItemSpec, ItemSpec | None]:
    """The three-face item a kiosk asks and its reasons item (if any). A kiosk has three faces
    and nothing else: a version without a three-level item cannot be asked on it, and the
    tablet is told so plainly (never a server error it cannot tell from an outage)."""
    if version is None:
        raise KioskUnusable(
            "no_questionnaire",
            _("No published quick-rating questionnaire: this tablet has nothing to ask."),
        )
    schema = schema_for(version)
    rating = next((i for i in schema.items if i.kind == ItemKind.RATING3), None)
    if rating is None:
        if campaign is not None:
            message = _(
                "The campaign “%(name)s” has no three-level rating question, so it cannot be "
                "asked on a kiosk. The quality secretary should remove the kiosk channel from it."
            ) % {"name": campaign.name}
        else:
            message = _("The questionnaire has no three-level rating question for a kiosk.")
        raise KioskUnusable("no_rating_item", message)
    reasons = next((i for i in schema.items if i.kind == ItemKind.MULTI), None)
    return rating, reasons


def version_fits_kiosk(version: QuestionnaireVersion) -> bool:
    """A kiosk can ask a version only if it has a three-level rating item (its three faces)."""
    return version.items.filter(kind=ItemKind.RATING3).exists()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class PointCollection:
    """What a counter collects today: the campaign each of its channels serves (None: no open
    campaign), and its tablets with their last contact and refused taps."""

    campaigns: list[tuple[str, Campaign | None]]
    devices: list[KioskDevice]


def stuck_reason(code: str) -> str:
    """The words for the refusal a tablet reports (the server's error code), for staff."""
    reasons = {
        "answers": _("answers the campaign's questionnaire does not have"),
        "campaign": _("the form does not belong to the campaign"),
        "campaign_closed": _("the campaign is closed"),
        "submitted_at": _("the tablet's clock is implausible"),
        "malformed": _("the tap could not be read"),
        "unstorable_text": _("the tap could not be read"),
        "too_large": _("the tap is too large"),
    }
    return str(reasons.get(code, code))


# The channels whose campaign a service point's staff pages show: its QR form and its kiosk.
POINT_CHANNELS = (Channel.WEB, Channel.KIOSK)


def points_with_campaigns(points: list[ServicePoint], *, on_day: date) -> list[ServicePoint]:
    """The points, each with `campaigns`: (channel label, campaign served or None) for its QR
    form and its kiosk, as point_collection shows them for one point (bounded queries)."""
    served = campaigns_serving(
        list({p.unit_id: p.unit for p in points}.values()),
        channels=list(POINT_CHANNELS),
        on_day=on_day,
    )
    for point in points:
        point.campaigns = [
            (str(Channel(channel).label), served[(point.unit_id, channel)])
            for channel in POINT_CHANNELS
        ]
    return points


def point_collection(point: ServicePoint, *, on_day: date) -> PointCollection:
    campaigns = [
        (str(Channel(channel).label), campaign_for(point.unit, channel=channel, on_day=on_day))
        for channel in POINT_CHANNELS
    ]
    devices = list(point.kiosk_devices.order_by("-is_active", "name"))
    for device in devices:
        device.stuck_reason = stuck_reason(device.stuck_error)
    return PointCollection(campaigns, devices)
