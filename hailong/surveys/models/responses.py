"""Responses and their answers, stored so that the database can count them.

One Response row per filled-in form, carrying what reports group by (unit, service, channel,
version, local date). One Answer row per answered item (one per ticked option for multiple
choice), numeric where the answer is a score. No answers live in a JSON blob (ROADMAP)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hailong.organisation.models import Service, ServicePoint, Unit


class Channel(models.TextChoices):
    WEB = "web", _("Web form (QR code)")
    KIOSK = "kiosk", _("Counter kiosk")
    PAPER = "paper", _("Paper form")
    IMPORT = "import", _("File import")
    API = "api", _("Connected system (API)")
    INVITATION = "invitation", _("Invitation to a regular customer")


class ConsentRecord(models.Model):  # sự đồng ý xử lý dữ liệu cá nhân (NĐ 13/2023)
    """Proof of an explicit consent to be contacted: the exact text shown, its version and when.
    Kept apart from the response so contact data can be erased without touching the answers."""

    purpose = models.CharField(max_length=40, default="survey_follow_up")
    text = models.TextField()
    text_version = models.CharField(max_length=40)
    given_at = models.DateTimeField()
    name = models.CharField(max_length=150, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")

    def __str__(self) -> str:
        return f"{self.purpose} {self.given_at:%Y-%m-%d %H:%M}"


class Response(models.Model):  # phiếu khảo sát đã trả lời
    version = models.ForeignKey(
        "surveys.QuestionnaireVersion", on_delete=models.PROTECT, related_name="responses"
    )
    campaign = models.ForeignKey(
        "surveys.Campaign",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responses",
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="responses")
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.PROTECT, related_name="responses"
    )
    service_point = models.ForeignKey(
        ServicePoint, null=True, blank=True, on_delete=models.SET_NULL, related_name="responses"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    submitted_at = models.DateTimeField(_("submitted at"), db_index=True)
    # The Asia/Ho_Chi_Minh calendar day: reports group by local day/month/quarter/year.
    local_date = models.DateField(_("date"))
    dossier_code = models.CharField(_("dossier code"), max_length=60, blank=True)
    # The file import that stored it: a cancelled import deletes its rows by this.
    source_import = models.ForeignKey(
        "surveys.ResponseImport",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responses",
    )
    dossier = models.ForeignKey(
        "surveys.Dossier",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responses",
    )
    paper_serial = models.CharField(_("paper form serial"), max_length=40, blank=True)
    idempotency_key = models.CharField(max_length=80, null=True, blank=True, unique=True)
    # The SHA-256 of the request that came with the key (its canonical JSON): a retry must
    # send the same request, and a different one with a used key is refused, not answered
    # with the first result as if it had been stored. Empty for channels without requests.
    idempotency_fingerprint = models.CharField(max_length=64, blank=True, default="")
    comment = models.TextField(_("comment"), blank=True)
    consent = models.OneToOneField(
        ConsentRecord, null=True, blank=True, on_delete=models.SET_NULL, related_name="response"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set when staff corrected the answers; the original answers stay in `original`.
    corrected_at = models.DateTimeField(null=True, blank=True)
    original = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "local_date"]),
            models.Index(fields=["campaign", "local_date"]),
            models.Index(fields=["version", "local_date"]),
        ]
        constraints = [
            # One response per dossier per campaign (the rule of the issue), enforced by the
            # database so that two simultaneous submissions cannot both pass. Per unit of the
            # response: a dossier code typed at another unit (a guess, a slip) neither blocks
            # the owning unit's citizen nor tells its sender that the code was answered
            # (issue 10 §2).
            models.UniqueConstraint(
                fields=["campaign", "unit", "dossier_code"],
                condition=~models.Q(dossier_code=""),
                name="uniq_dossier_per_campaign_unit",
            ),
            models.UniqueConstraint(
                fields=["version", "paper_serial"],
                condition=~models.Q(paper_serial=""),
                name="uniq_paper_serial",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_channel_display()} {self.local_date:%d/%m/%Y}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    # No index of its own: the (item, value) index below serves every lookup by item, and each
    # index is paid on every one of the millions of answers inserted.
    item = models.ForeignKey(
        "surveys.Item", on_delete=models.PROTECT, related_name="answers", db_index=False
    )
    # Not indexed either: answers are never looked up by option (an option of a published
    # version is never deleted; PROTECT then scans, which only a draft's edit can cause).
    option = models.ForeignKey(
        "surveys.Option",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="answers",
        db_index=False,
    )
    # Score for scales, option value for choices, 1/0 for yes/no, the number for numbers;
    # NULL with not_applicable = True for "không áp dụng".
    value = models.IntegerField(null=True, blank=True)
    not_applicable = models.BooleanField(default=False)
    text = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["item", "value"])]

    def __str__(self) -> str:
        return f"{self.item_id}={self.value}"


class KioskDevice(models.Model):  # máy tính bảng đánh giá tại quầy
    """A tablet at a service point. It authenticates with a long random token, stored hashed;
    the token is shown once when the device is registered."""

    service_point = models.ForeignKey(
        ServicePoint, on_delete=models.CASCADE, related_name="kiosk_devices"
    )
    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    token_prefix = models.CharField(max_length=8)
    is_active = models.BooleanField(_("active"), default=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    # Taps the tablet keeps because the server refused them for a reason it cannot fix (the
    # tablet reports them: they are never dropped, and staff must see them to act).
    stuck_taps = models.PositiveIntegerField(_("taps stuck on the tablet"), default=0)
    stuck_error = models.CharField(_("why they are stuck"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kiosk device")
        verbose_name_plural = _("kiosk devices")

    def __str__(self) -> str:
        return f"{self.name} ({self.token_prefix}…)"


class PaperBatch(models.Model):  # đợt in phiếu giấy
    """A print run of numbered paper forms. Serial numbers are unique per questionnaire version
    and allocated in ranges here, so the entry screen can tell a typo from a real sheet."""

    version = models.ForeignKey(
        "surveys.QuestionnaireVersion", on_delete=models.PROTECT, related_name="paper_batches"
    )
    campaign = models.ForeignKey(
        "surveys.Campaign",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="paper_batches",
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    first_serial = models.PositiveIntegerField()
    count = models.PositiveIntegerField()
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    printed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("paper form batch")
        verbose_name_plural = _("paper form batches")
        ordering = ["-printed_at"]

    def __str__(self) -> str:
        return f"{self.version} {self.first_serial:06d}–{self.last_serial:06d}"

    @property
    def last_serial(self) -> int:
        return self.first_serial + self.count - 1
