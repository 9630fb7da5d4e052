from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from hailong.organisation.models import Unit


class RegularCustomer(models.Model):  # khách hàng thường xuyên (HD.07)
    """An organisation or person who uses the services often and is invited to campaigns."""

    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit that serves them"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("regular customer")
        verbose_name_plural = _("regular customers")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})" if self.organisation else self.name


class Invitation(models.Model):  # thư mời tham gia khảo sát
    campaign = models.ForeignKey(
        "surveys.Campaign", on_delete=models.CASCADE, related_name="invitations"
    )
    customer = models.ForeignKey(
        RegularCustomer, on_delete=models.CASCADE, related_name="invitations"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.CharField(max_length=10, blank=True)  # email / sms
    reminded_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    response = models.OneToOneField(
        "surveys.Response",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitation",
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "customer"], name="uniq_invitation")
        ]

    def __str__(self) -> str:
        return f"{self.campaign} → {self.customer}"
