from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from hailong.organisation.models import Service, Unit


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Campaign(models.Model):  # đợt khảo sát
    """A survey campaign: which questionnaire version is asked, when, of whom, through which
    channels, and how many answers are wanted. Changes are kept in the audit log (HD.07 asks
    that methods and programmes be adjusted periodically, so their history matters)."""

    name = models.CharField(_("name"), max_length=200)
    version = models.ForeignKey(
        "surveys.QuestionnaireVersion",
        verbose_name=_("questionnaire version"),
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), help_text=_("Last day included."))
    units = models.ManyToManyField(
        Unit,
        verbose_name=_("units covered"),
        related_name="campaigns",
        help_text=_("Each unit includes the units below it."),
    )
    services = models.ManyToManyField(
        Service,
        verbose_name=_("procedures covered"),
        related_name="campaigns",
        blank=True,
        help_text=_("Leave empty to cover every procedure of the units."),
    )
    channels = models.JSONField(_("channels open"), default=list)
    target_responses = models.PositiveIntegerField(_("target number of responses"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    notes = models.TextField(_("notes"), blank=True)
    # Open campaigns that this one was explicitly allowed to take over where both cover the same
    # unit, channel and day (campaigns_overlapping): it serves there instead of them. Without
    # this choice an overlap is refused, so a counter never switches campaign unannounced.
    takes_over = models.ManyToManyField(
        "self",
        verbose_name=_("takes over from"),
        symmetrical=False,
        related_name="taken_over_by",
        blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("survey campaign")
        verbose_name_plural = _("survey campaigns")
        ordering = ["-starts_on", "name"]

    def __str__(self) -> str:
        return self.name
