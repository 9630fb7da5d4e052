from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hailong.organisation.models import Unit


class ApiScope(models.TextChoices):
    RESPONSES = "responses", _("Send survey responses")
    DOSSIERS = "dossiers", _("Send dossiers")
    CASES = "cases", _("Send and follow feedback and complaint cases")
    INDICES = "indices", _("Read satisfaction indices")


class ApiToken(models.Model):  # khóa kết nối của hệ thống khác
    """The key of an integrating system (e.g. the one-stop-shop software). Stored hashed, shown
    once; scoped to endpoints and to units (each with its subtree); revocable; its last use is
    kept so an administrator sees which keys are alive."""

    system = models.CharField(
        _("system"), max_length=150, help_text=_("E.g. Hệ thống thông tin giải quyết TTHC tỉnh.")
    )
    scopes = models.JSONField(_("allowed endpoints"), default=list)
    units = models.ManyToManyField(
        Unit,
        verbose_name=_("units"),
        related_name="+",
        help_text=_("Each unit includes the units below it."),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("key starts with"), max_length=8, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    last_used_ip = models.GenericIPAddressField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["system", "-created_at"]

    def __str__(self) -> str:
        return f"{self.system} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
