"""An independent recount of the rollups from the raw answers, in Python (tests only): what
every table must hold, computed without the rollups' SQL."""

from __future__ import annotations

from collections import Counter

from hailong.analytics.models import AnswerDay, AnswerMonth, AnswerMonthUnit
from hailong.surveys.models import Answer, Response


def python_recount() -> dict[str, Counter]:
    """{model name: Counter({key tuple: count})}, keys in the tables' column order."""
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
    tables = {"AnswerDay": Counter(), "AnswerMonth": Counter(), "AnswerMonthUnit": Counter()}
    for (day, unit, service, *rest), n in full.items():
        month = day.replace(day=1)
        tables["AnswerDay"][(day, unit, service, *rest)] += n
        tables["AnswerMonth"][(month, unit, service, *rest)] += n
        tables["AnswerMonthUnit"][(month, unit, *rest)] += n
    return tables


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


def stored_rollups() -> dict[str, Counter]:
    """Every row of every table, as python_recount gives them."""
    return {
        "AnswerDay": Counter(
            {row[:-1]: row[-1] for row in AnswerDay.objects.values_list("day", *KEYS, "count")}
        ),
        "AnswerMonth": Counter(
            {row[:-1]: row[-1] for row in AnswerMonth.objects.values_list("month", *KEYS, "count")}
        ),
        "AnswerMonthUnit": Counter(
            {
                row[:-1]: row[-1]
                for row in AnswerMonthUnit.objects.values_list(
                    "month", *(k for k in KEYS if k != "service_id"), "count"
                )
            }
        ),
    }
