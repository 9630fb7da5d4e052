"""An independent recount of the rollups from the raw answers, in Python (tests only): what
every table must hold, computed without the rollups' SQL."""

from __future__ import annotations

from collections import Counter
from datetime import date

from hailong.analytics.models import (
    AnswerDay,
    AnswerMonth,
    OptionMonth,
    ScoreMonth,
    ScoreMonthService,
    ScorePeriodService,
    ScorePeriodUnit,
)
from hailong.surveys.models import Answer, Response


def python_recount() -> dict[str, dict]:
    """{model name: {key tuple: count}}, keys in the tables' column order."""
    responses = {
        pk: (day, unit, service or 0, channel, campaign or 0, version)
        for pk, day, unit, service, channel, campaign, version in Response.objects.values_list(
            "pk", "local_date", "unit_id", "service_id", "channel", "campaign_id", "version_id"
        )
    }
    full: Counter = Counter()
    for dims in responses.values():
        full[(*dims, 0, 0, 0, 0)] += 1
    for response_id, item, value, option, na in Answer.objects.values_list(
        "response_id", "item_id", "value", "option_id", "not_applicable"
    ):
        if na:
            state, value = 1, 0
        elif value is None:
            state, value = 2, 0
        else:
            state = 0
        full[(*responses[response_id], item, value, state, option or 0)] += 1
    tables: dict[str, Counter] = {
        "AnswerDay": Counter(),
        "AnswerMonth": Counter(),
        "OptionMonth": Counter(),
    }
    scores: dict[str, dict] = {
        "ScoreMonth": {},
        "ScoreMonthService": {},
        "ScorePeriodUnit": {},
        "ScorePeriodService": {},
    }
    for (
        day,
        unit,
        service,
        channel,
        campaign,
        version,
        item,
        value,
        state,
        option,
    ), n in full.items():
        month = day.replace(day=1)
        rest = (channel, campaign, version, item, value, state, option)
        tables["AnswerDay"][(day, unit, service, *rest)] += n
        tables["AnswerMonth"][(month, unit, service, *rest)] += n
        if option and state == 2:
            tables["OptionMonth"][(month, unit, channel, campaign, version, item, option)] += n
        # count, không áp dụng, 1…5, other values
        cells = [n, 0, 0, 0, 0, 0, 0, 0]
        if item and state == 1:
            cells[1] = n
        elif item and state == 0:
            cells[value + 1 if 1 <= value <= 5 else 7] = n
        keys = [
            ("ScoreMonth", (month, unit, channel, campaign, version, item)),
            ("ScoreMonthService", (month, service, unit, version, item)),
        ]
        for grain in (1, 3, 12):
            start = date(day.year, (day.month - 1) // grain * grain + 1, 1)
            keys.append(("ScorePeriodUnit", (start, grain, unit, version, item)))
            keys.append(("ScorePeriodService", (start, grain, service, version, item)))
        for name, key in keys:
            have = scores[name].setdefault(key, [0] * 8)
            for position, cell in enumerate(cells):
                have[position] += cell
    result = {name: dict(counts) for name, counts in tables.items()}
    result |= {name: {k: tuple(v) for k, v in rows.items()} for name, rows in scores.items()}
    return result


KEYS = (
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


SCORES = ("count", "not_applicable", "v1", "v2", "v3", "v4", "v5", "other")


def stored_rollups() -> dict[str, dict]:
    """Every row of every table, as python_recount gives them (a row of count 0 too: it
    differs from no row)."""
    option_keys = ("unit_id", "channel", "campaign_id", "version_id", "item_id", "option_id")
    return {
        "AnswerDay": {
            row[:-1]: row[-1] for row in AnswerDay.objects.values_list("day", *KEYS, "count")
        },
        "AnswerMonth": {
            row[:-1]: row[-1] for row in AnswerMonth.objects.values_list("month", *KEYS, "count")
        },
        "OptionMonth": {
            row[:-1]: row[-1]
            for row in OptionMonth.objects.values_list("month", *option_keys, "count")
        },
        "ScoreMonth": {
            row[:6]: row[6:]
            for row in ScoreMonth.objects.values_list(
                "month", "unit_id", "channel", "campaign_id", "version_id", "item_id", *SCORES
            )
        },
        "ScoreMonthService": {
            row[:5]: row[5:]
            for row in ScoreMonthService.objects.values_list(
                "month", "service_id", "unit_id", "version_id", "item_id", *SCORES
            )
        },
        "ScorePeriodUnit": {
            row[:5]: row[5:]
            for row in ScorePeriodUnit.objects.values_list(
                "start", "grain", "unit_id", "version_id", "item_id", *SCORES
            )
        },
        "ScorePeriodService": {
            row[:5]: row[5:]
            for row in ScorePeriodService.objects.values_list(
                "start", "grain", "service_id", "version_id", "item_id", *SCORES
            )
        },
    }
