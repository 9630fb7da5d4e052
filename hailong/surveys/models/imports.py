from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from hailong.core.models import ImportStatus, TableUpload

__all__ = ["ImportStatus", "ResponseImport"]


class ResponseImport(TableUpload):  # lần nhập phiếu từ tệp
    """One uploaded file of survey results, kept in the database (any worker on any host can
    read it) until it is imported. Checking and importing run as background jobs; the
    responses it stored point back to it, so a cancelled import removes them again."""

    version = models.ForeignKey(
        "surveys.QuestionnaireVersion", on_delete=models.PROTECT, related_name="imports"
    )
    campaign = models.ForeignKey(
        "surveys.Campaign", null=True, blank=True, on_delete=models.PROTECT, related_name="imports"
    )
    imported = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("response import")
        verbose_name_plural = _("response imports")
        ordering = ["-created_at"]
