from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from hailong.core.periods import LOCAL_TZ
from hailong.organisation.models import Service, Unit


class DossierChannel(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    POSTAL = "postal", _("By post")


class Dossier(models.Model):  # hồ sơ thủ tục hành chính
    """A dossier as the one-stop-shop software knows it. Responses given with its code are
    linked to it; its dates give the TT 01/2018 time index without asking the citizen."""

    # Unique per unit, not across the register (see surveys.dossiers.dossier_pick).
    code = models.CharField(_("dossier code"), max_length=60, db_index=True)
    service = models.ForeignKey(
        Service,
        verbose_name=_("procedure"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="dossiers"
    )
    channel = models.CharField(
        _("channel"),
        max_length=10,
        choices=DossierChannel.choices,
        default=DossierChannel.IN_PERSON,
    )
    received_at = models.DateTimeField(_("received"))
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["unit", "returned_at"])]
        constraints = [
            models.UniqueConstraint(fields=["unit", "code"], name="uniq_dossier_code_per_unit")
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def time_score(self) -> int | None:
        """TT 01/2018 index 1 (total time against the legal limit): 2 returned before the due
        day, 1 on it, 0 after it; None while not returned or without a due date."""
        if self.returned_at is None or self.due_at is None:
            return None
        returned = self.returned_at.astimezone(LOCAL_TZ).date()
        due = self.due_at.astimezone(LOCAL_TZ).date()
        return 2 if returned < due else 1 if returned == due else 0
