from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    CHECKING = "checking", _("Checking the file")
    CHECKED = "checked", _("Checked: waiting for confirmation")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    CANCELLED = "cancelled", _("Cancelled")
    FAILED = "failed", _("Failed")


class ResponseImport(models.Model):  # lần nhập phiếu từ tệp
    """One uploaded file of survey results, kept in the database (any worker on any host can
    read it) until it is imported. Checking and importing run as background jobs."""

    version = models.ForeignKey(
        "surveys.QuestionnaireVersion", on_delete=models.PROTECT, related_name="imports"
    )
    campaign = models.ForeignKey(
        "surveys.Campaign", null=True, blank=True, on_delete=models.PROTECT, related_name="imports"
    )
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64, db_index=True)
    status = models.CharField(
        max_length=12, choices=ImportStatus.choices, default=ImportStatus.CHECKING
    )
    total_rows = models.PositiveIntegerField(default=0)
    good_rows = models.PositiveIntegerField(default=0)
    # [[row number, message], ...] in the language of the person who uploaded the file.
    errors = models.JSONField(default=list)
    file_error = models.TextField(blank=True)
    imported = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    job = models.ForeignKey(
        "core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(max_length=10, default="vi")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("response import")
        verbose_name_plural = _("response imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"
