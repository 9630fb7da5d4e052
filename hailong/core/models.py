from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change or delete an audit entry."""


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The audit log is append-only")

    def delete(self):
        raise AppendOnlyError("The audit log is append-only")


class AuditEntry(models.Model):  # nhật ký thao tác
    """One staff write: who did what to which object, the values before and after, when, from
    where. Rows are only ever added through the app (save of an existing row, update and delete
    raise); retention of the log itself is a later records rule."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as text as well, so the row still says who acted after the account is gone.
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_id = models.CharField(max_length=64, blank=True)
    target_repr = models.CharField(_("target"), max_length=255, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("after"), null=True, blank=True, encoder=DjangoJSONEncoder)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.target_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("The audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The audit log is append-only")

    @property
    def action_label(self) -> str:
        from hailong.core.audit import action_label

        return action_label(self.action)


class CalendarDay(models.Model):  # ngày nghỉ / ngày làm bù
    """An exception to the built-in holiday calendar: an extra day off (e.g. a swapped bridge
    day decided by the Prime Minister) or a working day on a weekend (the day made up for it).
    The built-in calendar comes from the `holidays` package; this table wins where they differ."""

    date = models.DateField(_("date"), unique=True)
    is_day_off = models.BooleanField(
        _("day off"),
        help_text=_("Ticked: an extra day off. Unticked: a working day (e.g. a Saturday worked)."),
    )
    name = models.CharField(_("name"), max_length=200)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"


class RateLimitHit(models.Model):
    """Counters for the rate limits of public endpoints, in the database so that every worker
    on every host shares them (no Redis in the embedded default)."""

    key = models.CharField(max_length=120)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="uniq_rate_window")
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.window_start:%H:%M} ×{self.count}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class Job(models.Model):  # tác vụ nền
    """Background work (large imports, report builds, reminders) queued in the database and
    run by `manage.py run_worker`: no extra server in the embedded default, and any number of
    workers on any host in production (a job is claimed with a conditional UPDATE)."""

    kind = models.CharField(max_length=64, db_index=True)
    status = models.CharField(
        max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED, db_index=True
    )
    payload = models.JSONField(default=dict)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    cancel_requested = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} {self.status}"

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.done / self.total)) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED, JobStatus.CANCELLED)


class ImportStatus(models.TextChoices):
    CHECKING = "checking", _("Checking the file")
    CHECKED = "checked", _("Checked: waiting for confirmation")
    IMPORTING = "importing", _("Importing")
    # Asked to stop; the job has not stopped yet (it does at its next check, within seconds).
    CANCELLING = "cancelling", _("Cancelling…")
    DONE = "done", _("Imported")
    CANCELLED = "cancelled", _("Cancelled")
    FAILED = "failed", _("Failed")


class UploadedContent(models.Model):
    """The bytes of an uploaded file, in the database so that any worker on any host reads
    them, in a table of their own: pages never load them, and a change of an upload's status
    does not rewrite them (SQLite rewrites a whole row on any UPDATE). Jobs read them 1 MB at a
    time (`hailong.core.imports.StoredFile`)."""

    data = models.BinaryField()

    class Meta:
        verbose_name = _("uploaded file")
        verbose_name_plural = _("uploaded files")

    def __str__(self) -> str:
        return f"#{self.pk}"


class TableUpload(models.Model):
    """What every file import keeps: the file (`UploadedContent`), and what the check found,
    bounded (the first rows with problems and a count per kind of problem, never one entry per
    row of a big file). Checking and importing run as background jobs (`hailong.core.imports`)."""

    WORKING = (ImportStatus.CHECKING, ImportStatus.IMPORTING, ImportStatus.CANCELLING)

    filename = models.CharField(max_length=255)
    content = models.OneToOneField(
        UploadedContent, null=True, on_delete=models.PROTECT, related_name="+"
    )
    sha256 = models.CharField(max_length=64, db_index=True)
    status = models.CharField(
        max_length=12, choices=ImportStatus.choices, default=ImportStatus.CHECKING
    )
    total_rows = models.PositiveIntegerField(default=0)
    good_rows = models.PositiveIntegerField(default=0)
    # The first rows with problems: [[row number, message], ...] in the language of the
    # person who uploaded the file (HAILONG_IMPORT_ERRORS_KEPT of them).
    errors = models.JSONField(default=list)
    error_count = models.PositiveIntegerField(default=0)  # rows with problems, all of them
    error_reasons = models.JSONField(default=list)  # [[kind of problem, rows], ...]
    file_error = models.TextField(blank=True)
    job = models.ForeignKey(
        "core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(max_length=10, default="vi")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def is_working(self) -> bool:
        return self.status in self.WORKING

    @property
    def errors_not_listed(self) -> int:
        return max(0, self.error_count - len(self.errors))


class FileImport(TableUpload):  # tệp nhập: hồ sơ, khách hàng thường xuyên, danh mục TTHC
    """An uploaded table other than survey results (those are `surveys.ResponseImport`, which
    the responses they stored point to): `kind` names the importer that reads it."""

    kind = models.CharField(max_length=40, db_index=True)
    # Worth a look before confirming, imported all the same: like `errors`, the first ones.
    warnings = models.JSONField(default=list)
    warning_count = models.PositiveIntegerField(default=0)
    result = models.JSONField(null=True, blank=True)  # the importer's counts once imported

    class Meta:
        verbose_name = _("file import")
        verbose_name_plural = _("file imports")
        ordering = ["-created_at"]
