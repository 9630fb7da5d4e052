"""Writes of survey campaigns: saving one and changing its status, each audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hailong.core.audit import audit_record, snapshot
from hailong.organisation.models import Staff
from hailong.surveys.models import Campaign, CampaignStatus, Channel, VersionStatus
from hailong.surveys.selectors.campaigns import campaigns_overlapping


class CampaignOverlap(ValidationError):
    """Opening or saving the campaign would make it compete with an open one, and the
    secretary has not chosen to let it take over."""


def _settle_overlaps(*, campaign: Campaign, take_over: bool, actor: Staff) -> None:
    """Refuse an open campaign that would silently take responses from another open one, or,
    when the secretary chose so, record that it takes over there (audited, shown)."""
    if campaign.status != CampaignStatus.OPEN:
        return
    overlaps = campaigns_overlapping(
        campaign, units=list(campaign.units.all()), services=list(campaign.services.all())
    )
    if not overlaps:
        return
    labels = dict(Channel.choices)
    if not take_over:
        raise CampaignOverlap(
            [
                _(
                    "The open campaign “%(name)s” already takes responses at these units "
                    "through %(channels)s from %(start)s to %(end)s. Change the units, "
                    "channels or dates, or tick “Let this campaign take over” so that this "
                    "one serves there instead."
                )
                % {
                    "name": o.campaign.name,
                    "channels": ", ".join(str(labels[c]) for c in o.channels),
                    "start": o.starts_on.strftime("%d/%m/%Y"),
                    "end": o.ends_on.strftime("%d/%m/%Y"),
                }
                for o in overlaps
            ]
        )
    campaign.takes_over.add(*(o.campaign for o in overlaps))
    audit_record(
        actor=actor,
        action="campaign.take_over",
        target=campaign,
        after={
            "takes_over": [
                {
                    "campaign": o.campaign.pk,
                    "name": o.campaign.name,
                    "channels": o.channels,
                    "starts_on": o.starts_on.isoformat(),
                    "ends_on": o.ends_on.isoformat(),
                }
                for o in overlaps
            ]
        },
    )


@transaction.atomic
def campaign_save(
    *, campaign: Campaign, actor: Staff, save_m2m=None, take_over: bool = False
) -> Campaign:
    before = snapshot(Campaign.objects.filter(pk=campaign.pk).first()) if campaign.pk else None
    if before and before["version"] != campaign.version_id and campaign.responses.exists():
        # Responses are read with the wording of their version; one campaign, one version.
        raise ValidationError(
            _(
                "This campaign already has responses, so its questionnaire version cannot change. "
                "Close it and open a new campaign for the new version."
            )
        )
    campaign.save()
    if save_m2m is not None:
        save_m2m()
    _settle_overlaps(campaign=campaign, take_over=take_over, actor=actor)
    audit_record(
        actor=actor,
        action="campaign.update" if before else "campaign.create",
        target=campaign,
        before=before,
        after=snapshot(campaign),
    )
    return campaign


@transaction.atomic
def campaign_set_status(
    *, campaign: Campaign, status: str, actor: Staff, take_over: bool = False
) -> Campaign:
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if status == CampaignStatus.OPEN and campaign.version.status != VersionStatus.PUBLISHED:
        raise ValidationError(_("Publish the questionnaire version before opening the campaign."))
    before = {"status": campaign.status}
    campaign.status = status
    campaign.save(update_fields=["status", "updated_at"])
    _settle_overlaps(campaign=campaign, take_over=take_over, actor=actor)
    audit_record(
        actor=actor,
        action=f"campaign.{status}",
        target=campaign,
        before=before,
        after={"status": status},
    )
    return campaign
