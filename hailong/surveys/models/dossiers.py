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

    # The dashboard's per-dossier facts (hailong.analytics.dossier_figures), stored so that its
    # figures for a period are one aggregate over an index of the period's dossiers: computing
    # them on every page load (local dates of two datetimes, the PAKN cases about each dossier,
    # the answers of its responses, millions of rows) took 1.5 s a year at a million responses.
    # Each is kept where what it depends on changes, in the same transaction:
    # - returned_on, time_points: from the row's own dates, by `save` and `dates_fill` (which
    #   the register's bulk writes call);
    # - has_pakn: by the feedback app when a case is received or its kind, unit or code changes
    #   (hailong.feedback.dossier_links), and for a dossier written to the register by the
    #   dossier hooks (settings.HAILONG_DOSSIER_HOOKS);
    # - unsatisfied_responses: by the responses' write path hook when a linked response is
    #   stored, corrected or deleted, and by the dossier hooks when responses are linked later
    #   (hailong.analytics.dossier_facts).
    # `manage.py rollups_rebuild` recomputes them from scratch; `--check` lists differences.
    returned_on = models.DateField(_("returned on"), null=True, blank=True, editable=False)
    # Dossier.time_score stored: 2, 1, 0, or null without a return or a due date.
    time_points = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    # A feedback Case of kind PAKN at the dossier's unit with its code (compared in upper case).
    has_pakn = models.BooleanField(default=False, editable=False)
    # Linked responses rated unsatisfied (the dashboard's definition): a count, not a flag, so
    # that a response stored, corrected or deleted changes it by ±1 without reading the others.
    unsatisfied_responses = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["unit", "returned_at"]),
            # The dashboard's read: the period's dossiers by returned_on, and everything the
            # aggregate and its filters read from them, so the index alone answers it.
            models.Index(
                fields=[
                    "returned_on",
                    "unit",
                    "service",
                    "time_points",
                    "has_pakn",
                    "unsatisfied_responses",
                ],
                name="dossier_facts",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["unit", "code"], name="uniq_dossier_code_per_unit")
        ]

    def __str__(self) -> str:
        return self.code

    def save(self, *args, update_fields=None, **kwargs):
        self.dates_fill()
        if update_fields is not None:
            update_fields = {*update_fields, *self.DATE_FACTS}
        super().save(*args, update_fields=update_fields, **kwargs)

    @property
    def time_score(self) -> int | None:
        """TT 01/2018 index 1 (total time against the legal limit): 2 returned before the due
        day, 1 on it, 0 after it; None while not returned or without a due date. Computed from
        the dates as they are now (`time_points` is the stored copy)."""
        if self.returned_at is None or self.due_at is None:
            return None
        returned = self.returned_at.astimezone(LOCAL_TZ).date()
        due = self.due_at.astimezone(LOCAL_TZ).date()
        return 2 if returned < due else 1 if returned == due else 0

    # The stored facts that follow from the row's own dates.
    DATE_FACTS = ("returned_on", "time_points")

    def dates_fill(self) -> None:
        """Set returned_on and time_points from returned_at and due_at (before a bulk write)."""
        self.returned_on = (
            self.returned_at.astimezone(LOCAL_TZ).date() if self.returned_at is not None else None
        )
        self.time_points = self.time_score
