"""Keeping the rollups (hailong.analytics.models): the write path's hook, and the recount.

The hook `on_response_changes` runs inside the transaction of every batch of responses stored,
corrected or deleted (settings.HAILONG_RESPONSE_HOOKS), so the counts change exactly when the
answers do, whatever the channel. It is on every submission, so it is kept cheap: the changes
of the batch are summed in Python, then each table gets one upsert (ON CONFLICT … DO UPDATE
count = count + excluded.count, on SQLite ≥ 3.24 and PostgreSQL) of all the batch's rows,
handed over as one parameter (a JSON array read by json_each on SQLite, arrays read by unnest on
PostgreSQL) so a batch of a thousand responses is still one statement per table; and, only when
something was taken away, one DELETE of the touched rows that reached 0.

`rollups_recount` and `rollups_rebuild` count the raw answers again (INSERT … SELECT … GROUP BY,
one statement per table per month), for `manage.py rollups_rebuild [--period P] [--check]`.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction

from hailong.analytics.models import (
    KEY_FIELDS,
    RESPONSES_ITEM,
    STATE_NO_VALUE,
    STATE_NOT_APPLICABLE,
    STATE_VALUE,
    AnswerDay,
    AnswerMonth,
    AnswerMonthUnit,
)
from hailong.surveys.models import Answer, Response

# A change's key before it is projected on a table: (day, unit, service, channel, campaign,
# version, item, value, state, option).
FullKey = tuple[date, int, int, str, int, int, int, int, int, int]


@dataclass(frozen=True)
class Table:
    model: type
    time: str  # "day" or "month"
    keys: tuple[str, ...]  # the key columns after the time column

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.time, *self.keys)

    @property
    def name(self) -> str:
        return self.model._meta.db_table

    def project(self, key: FullKey) -> tuple:
        """The table's key for a full key: the month instead of the day, no service."""
        day, unit, service, *rest = key
        time = day if self.time == "day" else day.replace(day=1)
        if "service_id" in self.keys:
            return (time, unit, service, *rest)
        return (time, unit, *rest)


TABLES = (
    Table(AnswerDay, "day", KEY_FIELDS),
    Table(AnswerMonth, "month", KEY_FIELDS),
    Table(AnswerMonthUnit, "month", tuple(f for f in KEY_FIELDS if f != "service_id")),
)

# SQL types of the columns, for PostgreSQL's unnest of typed arrays.
_PG_TYPES = {"day": "date", "month": "date", "channel": "varchar", "count": "bigint"}


def answer_key(item_id: int, value, option_id, not_applicable: bool) -> tuple[int, int, int, int]:
    """(item, value, state, option) of an answer row, as the recount's SQL computes it."""
    if not_applicable:
        return (item_id, 0, STATE_NOT_APPLICABLE, option_id or 0)
    if value is None:
        return (item_id, 0, STATE_NO_VALUE, option_id or 0)
    return (item_id, value, STATE_VALUE, option_id or 0)


def _dims(response: Response) -> tuple:
    return (
        response.local_date,
        response.unit_id,
        response.service_id or 0,
        response.channel,
        response.campaign_id or 0,
        response.version_id,
    )


def _deltas(changes) -> Counter:
    """The batch's changes summed per full key (a correction's unchanged rows cancel out)."""
    deltas: Counter = Counter()
    for change in changes:
        dims = _dims(change.response)
        if change.kind == "stored":
            deltas[(*dims, RESPONSES_ITEM, 0, STATE_VALUE, 0)] += 1
        elif change.kind == "deleted":
            deltas[(*dims, RESPONSES_ITEM, 0, STATE_VALUE, 0)] -= 1
        for row in change.added:
            deltas[
                (*dims, *answer_key(row.item_id, row.value, row.option_id, row.not_applicable))
            ] += 1
        for row in change.removed:
            deltas[
                (*dims, *answer_key(row.item_id, row.value, row.option_id, row.not_applicable))
            ] -= 1
    return deltas


def on_response_changes(changes) -> None:
    """The write path's hook (settings.HAILONG_RESPONSE_HOOKS): stored → +1 per answer row and
    +1 on item 0; corrected → −1 per row removed, +1 per row added (a correction changes
    answers, never the unit, procedure, channel, campaign, version or day); deleted → −1 per
    row and −1 on item 0."""
    tallies_apply(_deltas(changes))


def tallies_apply(deltas: Counter) -> None:
    """Add the deltas to every table: one upsert per table, then one DELETE per table of the
    touched rows that reached 0 (only when some delta was negative)."""
    for table in TABLES:
        projected: Counter = Counter()
        for key, delta in deltas.items():
            if delta:
                projected[table.project(key)] += delta
        # Sorted: two batches touching the same rows lock them in the same order (no deadlock
        # on PostgreSQL).
        rows = sorted((key, delta) for key, delta in projected.items() if delta)
        if not rows:
            continue
        _upsert(table, rows)
        lowered = [key for key, delta in rows if delta < 0]
        if lowered:
            _delete_spent(table, lowered)


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(connection.ops.quote_name(name) for name in names)


def _rows_source(columns: tuple[str, ...], rows: list[tuple]) -> tuple[str, list]:
    """A SELECT yielding `rows` (tuples of the columns' values) from one parameter per column
    (PostgreSQL) or one JSON parameter (SQLite)."""
    if connection.vendor == "postgresql":
        arrays = [list(column) for column in zip(*rows, strict=True)]
        types = [_PG_TYPES.get(name, "integer") for name in columns]
        sql = "SELECT * FROM unnest({})".format(", ".join(f"%s::{t}[]" for t in types))  # noqa: S608
        return sql, arrays
    data = json.dumps([[v.isoformat() if isinstance(v, date) else v for v in row] for row in rows])
    picks = ", ".join(f"json_extract(j.value, '$[{i}]')" for i in range(len(columns)))
    # WHERE true: SQLite's parser needs it between an INSERT's SELECT and its ON CONFLICT.
    return f"SELECT {picks} FROM json_each(%s) AS j WHERE true", [data]  # noqa: S608


def _upsert(table: Table, rows: list[tuple[tuple, int]]) -> None:
    quote = connection.ops.quote_name
    count = quote("count")
    source, params = _rows_source((*table.columns, "count"), [(*key, delta) for key, delta in rows])
    sql = (
        f"INSERT INTO {quote(table.name)} ({_quoted(table.columns)}, {count}) {source} "
        f"ON CONFLICT ({_quoted(table.columns)}) "
        f"DO UPDATE SET {count} = {quote(table.name)}.{count} + excluded.{count}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _delete_spent(table: Table, keys: list[tuple]) -> None:
    quote = connection.ops.quote_name
    source, params = _rows_source(table.columns, keys)
    sql = (
        f"DELETE FROM {quote(table.name)} WHERE {quote('count')} <= 0 "  # noqa: S608
        f"AND ({_quoted(table.columns)}) IN ({source})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


# SQL here is built from quoted table and column names of this module and constants; every
# value is a parameter.

# --- the recount ------------------------------------------------------------------------------


def next_month(month: date) -> date:
    return date(month.year + 1, 1, 1) if month.month == 12 else date(month.year, month.month + 1, 1)


def months_between(first_day: date, end_day: date) -> list[date]:
    """The first days of the months that [first_day, end_day) touches."""
    months, month = [], first_day.replace(day=1)
    while month < end_day:
        months.append(month)
        month = next_month(month)
    return months


def _count_sql(table: Table, time_sql: str) -> str:
    """SELECT the table's rows counted from the raw answers of [%s, %s) local dates: the answer
    rows, then (UNION ALL) the responses themselves on item 0. The same arithmetic as
    `answer_key`: a "không áp dụng" row has state 1, a row without a value state 2."""
    quote = connection.ops.quote_name
    answer, response = quote(Answer._meta.db_table), quote(Response._meta.db_table)
    dims = ["r.unit_id"]
    if "service_id" in table.keys:
        dims.append("COALESCE(r.service_id, 0)")
    dims += ["r.channel", "COALESCE(r.campaign_id, 0)", "r.version_id"]
    answer_cols = [
        "a.item_id",
        "CASE WHEN a.not_applicable THEN 0 ELSE COALESCE(a.value, 0) END",
        f"CASE WHEN a.not_applicable THEN {STATE_NOT_APPLICABLE} "
        f"WHEN a.value IS NULL THEN {STATE_NO_VALUE} ELSE {STATE_VALUE} END",
        "COALESCE(a.option_id, 0)",
    ]
    grouped_time = table.time == "day"
    first = 1 if grouped_time else 2  # a constant month is not grouped by
    answers_group = ", ".join(str(i) for i in range(first, len(dims) + len(answer_cols) + 2))
    responses_group = ", ".join(str(i) for i in range(first, len(dims) + 2))
    where = "r.local_date >= %s AND r.local_date < %s"
    return (
        f"SELECT {time_sql}, {', '.join(dims)}, {', '.join(answer_cols)}, COUNT(*) "  # noqa: S608
        f"FROM {answer} a INNER JOIN {response} r ON r.id = a.response_id "
        f"WHERE {where} GROUP BY {answers_group} "
        "UNION ALL "
        f"SELECT {time_sql}, {', '.join(dims)}, {RESPONSES_ITEM}, 0, {STATE_VALUE}, 0, COUNT(*) "
        f"FROM {response} r WHERE {where} GROUP BY {responses_group}"
    )


@dataclass(frozen=True)
class Chunk:
    """What one statement per table recounts: the days of one month inside the range (for
    AnswerDay) and that whole month (for the month tables)."""

    month: date
    first_day: date  # inclusive
    end_day: date  # exclusive

    @property
    def partial(self) -> bool:
        return self.first_day != self.month or self.end_day != next_month(self.month)


def chunks(first_day: date, end_day: date) -> list[Chunk]:
    return [
        Chunk(month, max(first_day, month), min(end_day, next_month(month)))
        for month in months_between(first_day, end_day)
    ]


def _range(table: Table, chunk: Chunk) -> tuple[date, date]:
    if table.time == "day":
        return chunk.first_day, chunk.end_day
    return chunk.month, next_month(chunk.month)


def _select(table: Table, chunk: Chunk) -> tuple[str, list]:
    first, end = _range(table, chunk)
    if table.time == "day":
        return _count_sql(table, "r.local_date"), [first, end, first, end]
    return _count_sql(table, "%s"), [chunk.month, first, end, chunk.month, first, end]


def _normalised(table: Table, row) -> tuple[tuple, int]:
    """A row read back from either database as (key, count), the time as a date."""
    *key, count = row
    time = key[0]
    if isinstance(time, str):
        time = date.fromisoformat(time)
    elif hasattr(time, "date"):
        time = time.date()
    return (time, *key[1:]), int(count)


def recounted(table: Table, chunk: Chunk) -> dict[tuple, int]:
    """The table's rows for the chunk, counted from the raw answers: {key: count}."""
    sql, params = _select(table, chunk)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(_normalised(table, row) for row in cursor.fetchall())


def stored(table: Table, chunk: Chunk) -> dict[tuple, int]:
    first, end = _range(table, chunk)
    rows = table.model.objects.filter(
        **{f"{table.time}__gte": first, f"{table.time}__lt": end}
    ).values_list(*table.columns, "count")
    return dict(_normalised(table, row) for row in rows)


@dataclass(frozen=True)
class Difference:
    table: str  # the model's name
    key: dict  # column → value
    stored: int  # 0: no row
    recounted: int  # 0: nothing to count


def data_range() -> tuple[date, date] | None:
    """[first, end) days holding responses or rollup rows; None when there are none."""
    days: list[date] = []
    for model, column in (
        (Response, "local_date"),
        (AnswerDay, "day"),
        (AnswerMonth, "month"),
        (AnswerMonthUnit, "month"),
    ):
        for bound in (column, f"-{column}"):
            value = model.objects.order_by(bound).values_list(column, flat=True).first()
            if value is not None:
                days.append(value)
    if not days:
        return None
    return min(days), next_month(max(days).replace(day=1))


def rollup_differences(first_day: date, end_day: date) -> Iterator[Difference]:
    """Every row where a table and a recount of the raw answers differ, for the days of
    [first_day, end_day) in AnswerDay and the whole months they touch in the month tables."""
    for chunk in chunks(first_day, end_day):
        for table in TABLES:
            have, want = stored(table, chunk), recounted(table, chunk)
            for key in sorted(set(have) | set(want)):
                if have.get(key, 0) != want.get(key, 0):
                    yield Difference(
                        table.model.__name__,
                        dict(zip(table.columns, key, strict=True)),
                        have.get(key, 0),
                        want.get(key, 0),
                    )


def rollups_rebuild(first_day: date, end_day: date) -> dict[str, int]:
    """Delete and recount the days of [first_day, end_day) in AnswerDay and the whole months
    they touch in the month tables, in one transaction; rows written per table.

    On PostgreSQL the tables are locked against writes (readers go on) for the length of the
    rebuild: a response stored meanwhile waits, then its hook adds it to the recount, which
    could not see it; one stored before is in the recount. SQLite writes one at a time anyway.

    Raw forms disposed of (HD.07 keeps them 2 years) cannot be counted again: rebuild only
    periods whose forms are all still kept."""
    written = {table.model.__name__: 0 for table in TABLES}
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {_quoted(t.name for t in TABLES)} IN EXCLUSIVE MODE")
        for chunk in chunks(first_day, end_day):
            for table in TABLES:
                first, end = _range(table, chunk)
                table.model.objects.filter(
                    **{f"{table.time}__gte": first, f"{table.time}__lt": end}
                ).delete()
                sql, params = _select(table, chunk)
                quote = connection.ops.quote_name
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"INSERT INTO {quote(table.name)} "
                        f"({_quoted(table.columns)}, {quote('count')}) {sql}",
                        params,
                    )
                    written[table.model.__name__] += cursor.rowcount
    return written
