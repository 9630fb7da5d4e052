"""Feedback and complaint cases (phản ánh, kiến nghị, khiếu nại, tố cáo, khen ngợi).

One register for every kind and channel. A case's deadlines are stored on it when they are
computed (from `DeadlineRule` rows and the working calendar), so that "overdue" and "due in
3 working days" are plain indexed queries. Every change goes through `feedback.services`, which
bumps `version`: a page saved from a stale copy is refused (optimistic locking).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hailong.core.text import fold_for_search
from hailong.organisation.models import Service, Unit


class CaseKind(models.TextChoices):
    PAKN = "pakn", _("Suggestion, report or recommendation (PAKN)")
    COMPLAINT = "complaint", _("Complaint (khiếu nại)")
    DENUNCIATION = "denunciation", _("Denunciation (tố cáo)")
    PRAISE = "praise", _("Praise")


class CaseChannel(models.TextChoices):
    WEB = "web", _("Public web form")
    DESK = "desk", _("In person at the desk")
    PHONE = "phone", _("Phone hotline")
    LETTER = "letter", _("Letter")
    EMAIL = "email", _("Email")
    API = "api", _("Connected system (API)")
    SURVEY = "survey", _("Unsatisfied survey response")


# The channels a clerk enters by hand at the desk.
DESK_CHANNELS = (
    CaseChannel.DESK,
    CaseChannel.PHONE,
    CaseChannel.LETTER,
    CaseChannel.EMAIL,
)


class CaseStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted")  # thụ lý
    REFUSED = "refused", _("Refused")  # không thụ lý, with a reason
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")
    TRANSFERRED = "transferred", _("Transferred to another agency")


# Statuses in which someone still owes the citizen something: deadlines run.
OPEN_STATUSES = (
    CaseStatus.RECEIVED,
    CaseStatus.ACCEPTED,
    CaseStatus.ASSIGNED,
    CaseStatus.IN_PROGRESS,
)


class HandlingRating(models.IntegerChoices):
    # The national 3-level rating (TT 32/2017/TT-BTTTT art. 12), for the handling of a case.
    VERY_SATISFIED = 3, _("Very satisfied")
    SATISFIED = 2, _("Satisfied")
    NOT_SATISFIED = 1, _("Not satisfied")


class ComplaintInstance(models.TextChoices):  # lần giải quyết khiếu nại
    # Luật Khiếu nại 2011: a first-instance decision (art. 28) may be complained of again to the
    # next level, which decides in longer periods (art. 37).
    FIRST = "first", _("First instance (lần đầu)")
    SECOND = "second", _("Second instance (lần hai)")


class DeadlineStage(models.TextChoices):
    ACCEPT = "accept", _("Decide whether to accept")
    ANSWER = "answer", _("Answer or decide")
    TRANSFER = "transfer", _("Transfer when outside competence")


class CountedFrom(models.TextChoices):
    RECEIVED = "received", _("the day of receipt")
    ACCEPTED = "accepted", _("the day of acceptance")


class DayCounting(models.TextChoices):
    WORKING = "working", _("working days")
    CALENDAR = "calendar", _("calendar days")


class DeadlineRule(models.Model):  # thời hạn giải quyết theo quy định
    """How long one stage of one kind of case may take, and the law that says so.

    Rules are data because the law changes (NĐ 155/2026 may shorten acceptance of complaints
    from 1/7/2026): a new rule row with a later `valid_from` applies to cases received from that
    day, and cases already received keep the deadline they were given."""

    kind = models.CharField(_("kind of case"), max_length=20, choices=CaseKind.choices)
    stage = models.CharField(_("stage"), max_length=10, choices=DeadlineStage.choices)
    # Empty: every case of the kind. For complaints, the first and second instance have their
    # own periods (Luật Khiếu nại 2011 art. 28 and 37).
    instance = models.CharField(
        _("instance"),
        max_length=10,
        choices=ComplaintInstance.choices,
        blank=True,
        default="",
        help_text=_("For complaints: first or second instance. Empty: every case of the kind."),
    )
    counted_from = models.CharField(_("counted from"), max_length=10, choices=CountedFrom.choices)
    counting = models.CharField(_("counted in"), max_length=10, choices=DayCounting.choices)
    days = models.PositiveSmallIntegerField(_("days"))
    complex_days = models.PositiveSmallIntegerField(_("days when complex"), null=True, blank=True)
    remote_days = models.PositiveSmallIntegerField(_("days in remote areas"), null=True, blank=True)
    remote_complex_days = models.PositiveSmallIntegerField(
        _("days in remote areas when complex"), null=True, blank=True
    )
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=300,
        help_text=_("The article and law or decree that sets this time limit."),
    )
    valid_from = models.DateField(
        _("applies to cases received from"),
        help_text=_("A change in the law is a new rule with a later date, not an edit."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        ordering = ["kind", "stage", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "stage", "instance", "valid_from"], name="uniq_deadline_rule"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_stage_display()}: {self.days}"

    def days_for(self, *, is_complex: bool, is_remote: bool) -> int:
        if is_remote and is_complex and self.remote_complex_days:
            return self.remote_complex_days
        if is_remote and self.remote_days:
            return self.remote_days
        if is_complex and self.complex_days:
            return self.complex_days
        return self.days


class Case(models.Model):  # hồ sơ phản ánh, kiến nghị, khiếu nại, tố cáo
    # A short random code the citizen keeps (never sequential: the code alone opens an
    # anonymous case's public page).
    code = models.CharField(_("tracking code"), max_length=12, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=CaseKind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=CaseChannel.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.RECEIVED
    )
    title = models.CharField(_("subject"), max_length=200)
    content = models.TextField(_("content"))
    remedy_sought = models.TextField(_("what the person asks for"), blank=True)
    # The unit the case is about (for a denunciation: the unit concerned, which must never
    # learn who denounced it), and the unit handling it (changes on assignment).
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit concerned"), on_delete=models.PROTECT, related_name="cases"
    )
    handling_unit = models.ForeignKey(
        Unit,
        verbose_name=_("handling unit"),
        on_delete=models.PROTECT,
        related_name="handled_cases",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer in charge"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    service = models.ForeignKey(
        Service,
        verbose_name=_("procedure"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    dossier_code = models.CharField(_("dossier code"), max_length=60, blank=True)
    is_complex = models.BooleanField(_("complex"), default=False)
    is_remote = models.BooleanField(
        _("remote area"),
        default=False,
        help_text=_("Remote and difficult areas have longer legal time limits."),
    )
    # Only a complaint has an instance; every other kind stays "first".
    instance = models.CharField(
        _("instance"),
        max_length=10,
        choices=ComplaintInstance.choices,
        default=ComplaintInstance.FIRST,
    )

    # Who wrote in. Personal data (NĐ 13/2023): optional for PAKN and praise, kept only with
    # an explicit consent whose exact text and time are stored with it.
    contact_name = models.CharField(_("name"), max_length=150, blank=True)
    contact_phone = models.CharField(_("phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("email"), blank=True)
    contact_address = models.CharField(_("address"), max_length=300, blank=True)
    # What opens the public page with the code: the last 4 digits of the phone, or a random
    # PIN printed on the receipt when the person gave no phone; empty for anonymous cases,
    # whose code alone opens them (there is nobody's data on their page).
    lookup_pin = models.CharField(max_length=4, blank=True, editable=False)
    consent_text = models.TextField(blank=True)
    consent_at = models.DateTimeField(null=True, blank=True)

    received_at = models.DateTimeField(_("received at"))
    received_on = models.DateField(_("received on"), db_index=True)  # Asia/Ho_Chi_Minh day
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    accept_due_on = models.DateField(_("accept by"), null=True, blank=True)
    answer_due_on = models.DateField(_("answer by"), null=True, blank=True)
    transfer_due_on = models.DateField(_("transfer by"), null=True, blank=True)
    # The deadline now running (acceptance first, then the answer): what lists sort and
    # filter on. Empty when nothing is owed (praise, closed, refused, transferred).
    due_on = models.DateField(_("due"), null=True, blank=True, db_index=True)
    # Set for good once a deadline is missed (accepted or answered late): a reopened case
    # answered in its new period still counts as late once (QĐ 766 "on time").
    missed_deadline = models.BooleanField(default=False)
    # When a reopened case's period restarted: its deadlines count from this day.
    period_start_on = models.DateField(null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    transferred_to = models.CharField(_("transferred to"), max_length=300, blank=True)
    transferred_on = models.DateField(_("transferred on"), null=True, blank=True)

    rating = models.PositiveSmallIntegerField(
        _("satisfaction with the handling"), null=True, blank=True, choices=HandlingRating.choices
    )
    rating_comment = models.TextField(_("comment on the handling"), blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)

    # The unsatisfied survey response this case follows up (the closed loop).
    source_response = models.OneToOneField(
        "surveys.Response",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_up_case",
    )
    idempotency_key = models.CharField(max_length=80, null=True, blank=True, unique=True)
    # The SHA-256 of the request that came with the key (see Response.idempotency_fingerprint).
    idempotency_fingerprint = models.CharField(max_length=64, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1)  # bumped by every change
    # Subject, name and phone digits without accents, lower-case, so the desk finds a case
    # from what the person says at the counter. A denunciation's person is left out: the
    # search must not tell who denounced.
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-received_at", "-id"]
        permissions = [
            # Tố cáo are seen only by people granted this explicitly (Luật Tố cáo 2018 art. 8:
            # the denouncer's identity is protected), never by a role as such.
            ("handle_denunciation", _("Can see and handle denunciations (tố cáo)")),
        ]
        indexes = [
            models.Index(fields=["handling_unit", "status"]),
            models.Index(fields=["status", "due_on"]),
            models.Index(fields=["kind", "received_on"]),
        ]

    def __str__(self) -> str:
        # The audit log and admin pages show this: a denunciation's subject can name people.
        if self.kind == CaseKind.DENUNCIATION:
            return self.code
        return f"{self.code} {self.title}"

    def save(self, *args, **kwargs):
        # A derived column of this row only, kept in step on every save whoever saves.

        parts = [self.title]
        if self.kind != CaseKind.DENUNCIATION:
            digits = "".join(ch for ch in self.contact_phone if ch.isdigit())
            parts += [self.contact_name, digits, self.contact_email]
        self.search_text = fold_for_search(" | ".join(p for p in parts if p))
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"title", "kind", "contact_name"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_anonymous(self) -> bool:
        return not (
            self.contact_name or self.contact_phone or self.contact_email or self.contact_address
        )

    @property
    def pin_is_phone(self) -> bool:
        digits = "".join(ch for ch in self.contact_phone if ch.isdigit())
        return bool(self.lookup_pin) and len(digits) >= 4 and digits.endswith(self.lookup_pin)

    @property
    def rating_is_current(self) -> bool:
        """Rated since the latest answer (a reopened case's old rating is history)."""
        return bool(
            self.rating and self.rated_at and self.answered_at and self.rated_at >= self.answered_at
        )


class CaseEventKind(models.TextChoices):
    STATUS = "status", _("Status change")
    NOTE = "note", _("Internal note")
    REPLY = "reply", _("Reply to the citizen")
    ASSIGN = "assign", _("Assignment")
    EDIT = "edit", _("Details changed")
    RATING = "rating", _("Rating by the citizen")


class CaseEvent(models.Model):
    """The case's history. Only events marked public (replies, status changes the citizen
    should know of) are shown on the public lookup page, and never with staff names."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=CaseEventKind.choices)
    from_status = models.CharField(max_length=12, blank=True, choices=CaseStatus.choices)
    to_status = models.CharField(max_length=12, blank=True, choices=CaseStatus.choices)
    text = models.TextField(blank=True)
    is_public = models.BooleanField(default=False)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"

    @property
    def is_reopening(self) -> bool:
        """Back to work from an answer, a closing or a refusal (`case_reopen`): the status it
        lands in (assigned, accepted, received) alone would not say it was reopened."""
        return (
            self.kind == CaseEventKind.STATUS
            and self.from_status in (CaseStatus.ANSWERED, CaseStatus.CLOSED, CaseStatus.REFUSED)
            and self.to_status in OPEN_STATUSES
        )

    def status_heading(self, step: str) -> str:
        """The heading of a status change, `step` being how the reader names the status it
        landed in (the staff's status, the citizen's step): a reopening says so, with the step
        in brackets, on the staff history and the public page alike."""
        if self.is_reopening:
            return gettext("Reopened (%(status)s)") % {"status": step}
        return str(step)

    @property
    def heading(self) -> str:
        """The heading of the event in the staff history."""
        if self.kind == CaseEventKind.STATUS:
            return self.status_heading(self.get_to_status_display())
        return str(self.get_kind_display())


def attachment_path(instance: CaseAttachment, filename: str) -> str:
    # Random names on disk: the original name is kept in a field, never trusted as a path.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"cases/{instance.case.received_on:%Y/%m}/{uuid.uuid4().hex}.{suffix}"


class CaseAttachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # A document the agency sends with its answer (e.g. the signed decision on a complaint):
    # the citizen downloads it from the public page. The citizen's own files are never public.
    is_public = models.BooleanField(default=False)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class ReminderRun(models.Model):
    """One row per day `case_reminders` ran: several hosts' timers may fire, one sends."""

    day = models.DateField(unique=True)
    started_at = models.DateTimeField(auto_now_add=True)
    sent = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day}"
