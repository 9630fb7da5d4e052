from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "Excel (XLSX)"


def _stored_name(export: ResponseExport, filename: str) -> str:
    # A random name under MEDIA_ROOT: the file holds citizens' answers and is only ever sent
    # through the download page, which checks who asks; the person sees `filename`.
    return f"exports/{timezone.now():%Y/%m}/{secrets.token_urlsafe(16)}.{export.file_format}"


class ResponseExport(models.Model):  # tệp xuất phiếu trả lời
    """A large export of the response list, written by a background job and kept for a few days
    (HAILONG_EXPORT_KEEP_DAYS) for the person who asked for it to download."""

    file_format = models.CharField(max_length=4, choices=ExportFormat.choices)
    # The response list's filters (its query string), applied with the person's scope when the
    # job runs.
    query = models.JSONField(default=dict, blank=True)
    language = models.CharField(max_length=10, default="vi")
    job = models.ForeignKey(
        "core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.FileField(upload_to=_stored_name, blank=True)
    filename = models.CharField(max_length=100)
    rows = models.PositiveIntegerField(default=0)
    # Why no file was made, in the language of the person who asked.
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("response export")
        verbose_name_plural = _("response exports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.filename
