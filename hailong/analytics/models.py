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

The grain. AnswerDay and AnswerMonth keep every dimension, one row per value (state, option):
any slice can be read from them exactly, the days of a custom range's partial months and daily
figures from AnswerDay. They hardly compress (at 1,000,000 responses AnswerDay has almost a row
per answer), so the dashboard's reads take the score tables, which count an item's values in
columns: ScoreMonth (no procedure: a year across the province reads units × channels × items ×
12 rows, independent of the number of responses and of the ~2,000 procedures), ScoreMonthService
(no channel or campaign: the procedure and field breakdowns, a unit officer's scope) and
OptionMonth (the choices without a value). The leaders' reads of a scope that sees every unit
take the period tables, which count each answer in its month, its quarter and its year:
ScorePeriodUnit (the tiles, trend and units) and ScorePeriodService (procedures and fields,
without the unit that multiplies ScoreMonthService's rows), so a year reads one year's rows
and a quarter one quarter's. A finer grain (hour, service point) is not asked for by any report
and would multiply the rows.
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


# The value columns of the score tables: every answer row (item 0: every response), then the
# answers "không áp dụng", the answers of each value 1–5 (SIPAS's scale, the 3-level rating),
# and the answers with any other value (a number, a scale of another length). What is left of
# `count` (count − not_applicable − v1…v5 − other) is the answers without a value.
SCORE_COLUMNS = ("count", "not_applicable", "v1", "v2", "v3", "v4", "v5", "other")
SCORED_VALUES = range(1, 6)


class ScoreCounts(models.Model):
    """An item's answers counted by value in columns (SCORE_COLUMNS)."""

    version_id = models.IntegerField()
    item_id = models.IntegerField(default=0)
    count = models.BigIntegerField()
    not_applicable = models.BigIntegerField(default=0)
    v1 = models.BigIntegerField(default=0)
    v2 = models.BigIntegerField(default=0)
    v3 = models.BigIntegerField(default=0)
    v4 = models.BigIntegerField(default=0)
    v5 = models.BigIntegerField(default=0)
    other = models.BigIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"item {self.item_id}: {self.count}"


class ScoreTally(ScoreCounts):
    """Answers of one item counted by value in columns, not in rows: five times fewer rows than
    AnswerTally for the reads that take scores (every index of the dashboard), and no option
    in the key (a 3-level or SIPAS answer is its value; the options without a value, the kiosk's
    reasons, are in OptionMonth)."""

    unit_id = models.IntegerField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"unit {self.unit_id} item {self.item_id}: {self.count}"


class ScoreMonth(ScoreTally):
    """The dashboard's grain: month × unit × channel × campaign × version × item. A year across
    the province reads units × channels × items × 12 rows, whatever the number of responses or
    procedures (measured: 35,000 for the demo tree's 21 units at 1,000,000 responses, 106,698
    in 37 months, against 4.4 million rows of AnswerMonth); channels and campaigns multiply
    them little, since a unit takes each form by few channels and a campaign lasts a year."""

    month = models.DateField(_("month"))
    channel = models.CharField(max_length=10)
    campaign_id = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("scores of a month")
        verbose_name_plural = _("scores by month")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "unit_id", "channel", "campaign_id", "version_id", "item_id"],
                name="uniq_score_month",
            )
        ]


class ScoreMonthService(ScoreTally):
    """Scores by procedure: month × procedure × unit × version × item, for the procedure and
    field breakdowns and filters and for a unit officer's scope (the responses given at their
    units or about the procedures their units answer for, so both keys). Channel and campaign
    are left out: they would multiply the largest table; a read that needs them with a
    procedure takes AnswerMonth. Still the largest read of the dashboard (1,154,752 rows at
    1,000,000 responses, 380,000 a year: procedures × the units that take them × items), see
    docs/benchmarks.md."""

    month = models.DateField(_("month"))
    service_id = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("scores of a month by procedure")
        verbose_name_plural = _("scores by month and procedure")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "service_id", "unit_id", "version_id", "item_id"],
                name="uniq_score_month_service",
            )
        ]


# The grains of the period tables, in months: a row counts a month, a quarter or a year.
GRAIN_MONTH, GRAIN_QUARTER, GRAIN_YEAR = 1, 3, 12
GRAINS = (GRAIN_MONTH, GRAIN_QUARTER, GRAIN_YEAR)


class ScorePeriod(models.Model):
    """A period table's time: `grain` months from `start` (its first day). Each answer is
    counted three times, in its month, its quarter and its year, so a read of any period takes
    whole years, then whole quarters, then whole months: a year is one period's rows, whatever
    the number of responses (the month tables read twelve months' rows)."""

    grain = models.PositiveSmallIntegerField()  # GRAINS
    start = models.DateField(_("start"))

    class Meta:
        abstract = True


class ScorePeriodUnit(ScorePeriod, ScoreTally):
    """The leaders' headline grain: period × unit × version × item (ScoreMonth without channel
    and campaign, which multiply its rows by five): the tiles, the monthly trend and the units'
    ranking of a scope that sees every unit. About units × items × versions rows a period (a
    few thousand for the demo tree)."""

    class Meta:
        verbose_name = _("scores of a period by unit")
        verbose_name_plural = _("scores by period and unit")
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "start", "unit_id", "version_id", "item_id"],
                name="uniq_score_period_unit",
            )
        ]


class ScorePeriodService(ScorePeriod, ScoreCounts):
    """The leaders' procedure grain: period × procedure × version × item, without the unit
    (ScoreMonthService keeps it for a unit officer's scope and the unit filter, which multiplies
    its rows by the units taking each procedure: 380,000 rows a year at 1,000,000 responses).
    At most procedures × items rows a period (some 11,000 for the demo's 376 procedures),
    whatever the number of responses."""

    service_id = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("scores of a period by procedure")
        verbose_name_plural = _("scores by period and procedure")
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "start", "service_id", "version_id", "item_id"],
                name="uniq_score_period_service",
            )
        ]


class OptionMonth(models.Model):
    """The choices without a value (the kiosk's reasons, what should improve first) by month ×
    unit × channel × campaign × version × item × option: only the answers that name such an
    option, so few rows. A choice with a value (a SIPAS or 3-level answer) is counted by its
    value in the score tables."""

    month = models.DateField(_("month"))
    unit_id = models.IntegerField()
    channel = models.CharField(max_length=10)
    campaign_id = models.IntegerField(default=0)
    version_id = models.IntegerField()
    item_id = models.IntegerField()
    option_id = models.IntegerField()
    count = models.BigIntegerField()

    class Meta:
        verbose_name = _("choices of a month")
        verbose_name_plural = _("choices by month")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "month",
                    "unit_id",
                    "channel",
                    "campaign_id",
                    "version_id",
                    "item_id",
                    "option_id",
                ],
                name="uniq_option_month",
            )
        ]

    def __str__(self) -> str:
        return f"unit {self.unit_id} item {self.item_id} option {self.option_id}: {self.count}"
