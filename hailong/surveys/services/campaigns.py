"""Writes of survey campaigns: saving one and changing its status, each audited."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from hailong.core.audit import audit_record, snapshot
from hailong.organisation.models import Staff
from hailong.surveys.models import Campaign, CampaignStatus, VersionStatus


@transaction.atomic
def campaign_save(*, campaign: Campaign, actor: Staff, save_m2m=None) -> Campaign:
    before = snapshot(Campaign.objects.filter(pk=campaign.pk).first()) if campaign.pk else None
    if before and before["version"] != campaign.version_id and campaign.responses.exists():
        # Responses are read with the wording of their version; one campaign, one version.
        from django.core.exceptions import ValidationError

        raise ValidationError(
            _(
                "This campaign already has responses, so its questionnaire version cannot change. "
                "Close it and open a new campaign for the new version."
            )
        )
    campaign.save()
    if save_m2m is not None:
        save_m2m()
    audit_record(
        actor=actor,
        action="campaign.update" if before else "campaign.create",
        target=campaign,
        before=before,
        after=snapshot(campaign),
    )
    return campaign


@transaction.atomic
def campaign_set_status(*, campaign: Campaign, status: str, actor: Staff) -> Campaign:
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if status == CampaignStatus.OPEN and campaign.version.status != VersionStatus.PUBLISHED:
        from django.core.exceptions import ValidationError

        raise ValidationError(_("Publish the questionnaire version before opening the campaign."))
    before = {"status": campaign.status}
    campaign.status = status
    campaign.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=f"campaign.{status}",
        target=campaign,
        before=before,
        after={"status": status},
    )
    return campaign
