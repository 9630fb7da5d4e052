"""Rollups: counts of answers, never the answers themselves (HD.07 step 2).

Every stored, corrected or deleted response changes these counts in its own transaction
(`hailong.analytics.rollups`); `manage.py rollups_rebuild` recounts them from the raw answers.
Dashboards, the API, the commands and reports read these tables, never raw answers, so they
stay fast at millions of responses and unchanged once raw survey forms are disposed of (HD.07
keeps them 2 years).

Keys are plain integers, never foreign keys: a count must outlive the objects it counts (a
deleted procedure stays counted under its id) and the disposal of the raw forms. A response is
counted at its own unit, never at the units above it: subtrees are resolved at read time by
Unit.path, so a unit moved in the tree (the 2025 reorganisation) does not rewrite history; the
same goes for a procedure's field and responsible units (read from Service) and item codes
(read from Item: a code is stable across versions).

The grain. A read of a year across the province without a procedure filter (the dashboard's
usual read) takes AnswerMonthUnit: units × channels × campaigns × versions × items × values ×
12 months, independent of the number of responses and of the ~2,000 procedures. A filter on
procedures or fields (or a unit officer's scope, which includes the procedures their units are
responsible for) takes AnswerMonth, which keeps the procedure. Whole months come from the month
tables; the days of a custom range's partial months, and daily trends, from AnswerDay. A finer
grain (hour, service point) is not asked for by any report and would multiply the rows.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# The state of an answer row: a value (a score, an option's value, a number), "không áp dụng",
# or answered without a value (free text, an option without a value).
STATE_VALUE, STATE_NOT_APPLICABLE, STATE_NO_VALUE = 0, 1, 2

# item_id 0: the row counts responses, not answers.
RESPONSES_ITEM = 0

KEY_FIELDS = (
    "unit_id",
    "service_id",
    "channel",
    "campaign_id",
    "version_id",
    "item_id",
    "value",
    "state",
    "option_id",
)


class AnswerTally(models.Model):
    # The unit where the response was given (its own unit, never an ancestor).
    unit_id = models.IntegerField()
    service_id = models.IntegerField(default=0)  # 0: no procedure named
    channel = models.CharField(max_length=10)
    campaign_id = models.IntegerField(default=0)  # 0: no campaign
    version_id = models.IntegerField()
    item_id = models.IntegerField(default=0)  # 0: the response itself
    value = models.IntegerField(default=0)  # 0 when the answer has no value
    state = models.PositiveSmallIntegerField(default=STATE_VALUE)
    option_id = models.IntegerField(default=0)  # 0: none; multi choice: one row per option
    # > 0: a row whose count reaches 0 is deleted (no CHECK: the upsert passes through 0).
    count = models.BigIntegerField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"unit {self.unit_id} item {self.item_id} = {self.value}: {self.count}"


class AnswerDay(AnswerTally):
    day = models.DateField(_("day"))  # the local (Asia/Ho_Chi_Minh) date

    class Meta:
        verbose_name = _("answers of a day")
        verbose_name_plural = _("answers by day")
        constraints = [
            # The day first: every read is a range of days.
            models.UniqueConstraint(fields=["day", *KEY_FIELDS], name="uniq_answer_day")
        ]


class AnswerMonth(AnswerTally):
    month = models.DateField(_("month"))  # the first day of the local month

    class Meta:
        verbose_name = _("answers of a month")
        verbose_name_plural = _("answers by month")
        constraints = [
            models.UniqueConstraint(fields=["month", *KEY_FIELDS], name="uniq_answer_month")
        ]


class AnswerMonthUnit(AnswerTally):
    """AnswerMonth without the procedure: the province-wide read does not grow with the
    catalogue of procedures."""

    service_id = None
    month = models.DateField(_("month"))

    class Meta:
        verbose_name = _("answers of a month by unit")
        verbose_name_plural = _("answers by month and unit")
        constraints = [
            models.UniqueConstraint(
                fields=["month", *(f for f in KEY_FIELDS if f != "service_id")],
                name="uniq_answer_month_unit",
            )
        ]
