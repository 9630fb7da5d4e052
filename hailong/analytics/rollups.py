"""Keeping the rollups (hailong.analytics.models): the write path's hook, and the recount.

The hook `on_response_changes` runs inside the transaction of every batch of responses stored,
corrected or deleted (settings.HAILONG_RESPONSE_HOOKS), so the counts change exactly when the
answers do, whatever the channel. It is on every submission, so it is kept cheap: the changes
of the batch are summed in Python, then each table gets one upsert (ON CONFLICT … DO UPDATE
count = count + excluded.count, on SQLite ≥ 3.24 and PostgreSQL) of all the batch's rows
(PostgreSQL: one statement whatever the batch, its rows as arrays read by unnest; SQLite: a
multi-row VALUES per 90 rows, its parameter limit, so one for a submission); and, only when
something was taken away, one DELETE of the touched rows that reached 0.

`rollups_recount` and `rollups_rebuild` count the raw answers again (INSERT … SELECT … GROUP BY,
one statement per table per month), for `manage.py rollups_rebuild [--period P] [--check]`.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.db import connection, transaction

from hailong.analytics.models import (
    GRAINS,
    KEY_FIELDS,
    RESPONSES_ITEM,
    SCORE_COLUMNS,
    SCORED_VALUES,
    STATE_NO_VALUE,
    STATE_NOT_APPLICABLE,
    STATE_VALUE,
    AnswerDay,
    AnswerMonth,
    OptionMonth,
    ScoreMonth,
    ScoreMonthService,
    ScorePeriodService,
    ScorePeriodUnit,
)
from hailong.surveys.models import Answer, Response

# A change's key before it is projected on a table: (day, unit, service, channel, campaign,
# version, item, value, state, option).
FullKey = tuple[date, int, int, str, int, int, int, int, int, int]
FULL_KEY = ("day", *KEY_FIELDS)
_POSITION = {name: position for position, name in enumerate(FULL_KEY)}
_ITEM, _VALUE, _STATE, _OPTION = (_POSITION[n] for n in ("item_id", "value", "state", "option_id"))

# The shapes of the tables: one row per value (AnswerTally), the values in columns
# (ScoreTally), the choices without a value (OptionMonth).
TALLY, SCORES, OPTIONS = "tally", "scores", "options"


def period_start(day: date, grain: int) -> date:
    """The first day of the `grain`-month period (1, 3 or 12) holding `day`."""
    return date(day.year, (day.month - 1) // grain * grain + 1, 1)


def period_end(start: date, grain: int) -> date:
    index = start.year * 12 + start.month - 1 + grain
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Table:
    model: type
    time: str  # "day", "month", or "start" (a period table: `grains` below)
    keys: tuple[str, ...]  # the key columns after the time column
    shape: str = TALLY
    # A period table counts each answer once per grain (months): its key's second column is
    # the grain, its time the period's first day.
    grains: tuple[int, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.time, *self.keys)

    @property
    def counts(self) -> tuple[str, ...]:
        """The counted columns."""
        return SCORE_COLUMNS if self.shape == SCORES else ("count",)

    @property
    def name(self) -> str:
        return self.model._meta.db_table

    def project(self, key: FullKey) -> tuple[tuple, ...]:
        """The table's keys for a full key (the month instead of the day, fewer dimensions; a
        period table's one per grain), none when the table does not count the row
        (OptionMonth: a row without an option or with a value)."""
        if self.shape == OPTIONS and (
            not key[_OPTION] or key[_STATE] != STATE_NO_VALUE or key[_ITEM] == RESPONSES_ITEM
        ):
            return ()
        day = key[0]
        if self.grains:
            rest = tuple(key[_POSITION[name]] for name in self.keys[1:])
            return tuple((period_start(day, grain), grain, *rest) for grain in self.grains)
        time = day if self.time == "day" else day.replace(day=1)
        return ((time, *(key[_POSITION[name]] for name in self.keys)),)

    def cells(self, key: FullKey, delta: int) -> tuple[int, ...]:
        """What a full key's delta adds to the counted columns."""
        if self.shape != SCORES:
            return (delta,)
        state, value = key[_STATE], key[_VALUE]
        cells = [delta, 0, 0, 0, 0, 0, 0, 0]
        if key[_ITEM] == RESPONSES_ITEM:
            return tuple(cells)
        if state == STATE_NOT_APPLICABLE:
            cells[1] = delta
        elif state == STATE_VALUE:
            cells[1 + value if value in SCORED_VALUES else 7] = delta
        return tuple(cells)


_SCORE_KEYS = ("unit_id", "channel", "campaign_id", "version_id", "item_id")
_PERIOD_UNIT_KEYS = ("grain", "unit_id", "version_id", "item_id")
_PERIOD_SERVICE_KEYS = ("grain", "service_id", "version_id", "item_id")

TABLES = (
    Table(AnswerDay, "day", KEY_FIELDS),
    Table(AnswerMonth, "month", KEY_FIELDS),
    Table(ScoreMonth, "month", _SCORE_KEYS, SCORES),
    Table(ScoreMonthService, "month", ("service_id", "unit_id", "version_id", "item_id"), SCORES),
    Table(OptionMonth, "month", (*_SCORE_KEYS, "option_id"), OPTIONS),
    Table(ScorePeriodUnit, "start", _PERIOD_UNIT_KEYS, SCORES, GRAINS),
    Table(ScorePeriodService, "start", _PERIOD_SERVICE_KEYS, SCORES, GRAINS),
)
PERIOD_TABLES = tuple(table for table in TABLES if table.grains)
MONTH_TABLES = tuple(table for table in TABLES if not table.grains)

# SQL types of the columns, for PostgreSQL's unnest of typed arrays.
_PG_TYPES = {
    "day": "date",
    "month": "date",
    "start": "date",
    "channel": "varchar",
    **{column: "bigint" for column in SCORE_COLUMNS},
}


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
        projected: dict[tuple, list[int]] = {}
        for key, delta in deltas.items():
            if not delta:
                continue
            rows = table.project(key)
            if not rows:
                continue
            cells = table.cells(key, delta)
            for row in rows:
                have = projected.get(row)
                if have is None:
                    projected[row] = list(cells)
                else:
                    for position, cell in enumerate(cells):
                        have[position] += cell
        # Sorted: two batches touching the same rows lock them in the same order (no deadlock
        # on PostgreSQL). A row whose changes cancel out (a correction undone) is not written.
        rows = sorted((key, cells) for key, cells in projected.items() if any(cells))
        if not rows:
            continue
        _upsert(table, rows)
        # `count` (the first cell) falls only when answers were taken away.
        lowered = [key for key, cells in rows if cells[0] < 0]
        if lowered:
            _delete_spent(table, lowered)


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(connection.ops.quote_name(name) for name in names)


def _rows_sources(columns: tuple[str, ...], rows: list[tuple]) -> Iterator[tuple[str, list]]:
    """Row sources (a SELECT or a VALUES) of `rows`, tuples of the columns' values.
    PostgreSQL: one, from one array parameter per column (unnest), whatever the number of rows.
    SQLite: a multi-row VALUES per as many rows as its parameter limit allows (a submission's
    rows fit in one; measured 2.5 times faster than one JSON parameter read by json_each)."""
    if connection.vendor == "postgresql":
        yield _unnest(columns), [list(column) for column in zip(*rows, strict=True)]
        return
    per_statement = max(1, _sqlite_parameters() // len(columns))
    for start in range(0, len(rows), per_statement):
        chunk = rows[start : start + per_statement]
        yield _values(len(columns), len(chunk)), [v for row in chunk for v in row]


@lru_cache(maxsize=1)
def _sqlite_parameters() -> int:
    """The connection's own limit of parameters per statement (32,766 since SQLite 3.32),
    not Django's conservative 999: a SIPAS form's rows for the period tables (three per
    answer) then fit in one statement."""
    connection.ensure_connection()
    try:
        return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    except AttributeError:  # Python before 3.11
        return connection.features.max_query_params


# The statements' text is cached: building it (quoting names) cost a third of the hook.
@lru_cache(maxsize=64)
def _unnest(columns: tuple[str, ...]) -> str:
    types = [_PG_TYPES.get(name, "integer") for name in columns]
    return "SELECT * FROM unnest({})".format(", ".join(f"%s::{t}[]" for t in types))  # noqa: S608


@lru_cache(maxsize=512)
def _values(width: int, rows: int) -> str:
    marks = "(" + ", ".join(["%s"] * width) + ")"
    return f"VALUES {', '.join([marks] * rows)}"


@lru_cache(maxsize=16)
def _upsert_head(table: Table, vendor: str) -> tuple[str, str]:
    quote = connection.ops.quote_name
    added = ", ".join(
        f"{quote(c)} = {quote(table.name)}.{quote(c)} + excluded.{quote(c)}" for c in table.counts
    )
    return (
        f"INSERT INTO {quote(table.name)} ({_quoted((*table.columns, *table.counts))}) ",
        f" ON CONFLICT ({_quoted(table.columns)}) DO UPDATE SET {added}",
    )


@lru_cache(maxsize=16)
def _delete_head(table: Table, vendor: str) -> str:
    quote = connection.ops.quote_name
    return (
        f"DELETE FROM {quote(table.name)} WHERE {quote('count')} <= 0 "  # noqa: S608
        f"AND ({_quoted(table.columns)}) IN "
    )


def _upsert(table: Table, rows: list[tuple[tuple, list[int]]]) -> None:
    head, tail = _upsert_head(table, connection.vendor)
    with connection.cursor() as cursor:
        for source, params in _rows_sources(
            (*table.columns, *table.counts), [(*key, *cells) for key, cells in rows]
        ):
            cursor.execute(head + source + tail, params)


def _delete_spent(table: Table, keys: list[tuple]) -> None:
    head = _delete_head(table, connection.vendor)
    with connection.cursor() as cursor:
        for source, params in _rows_sources(table.columns, keys):
            cursor.execute(f"{head}({source})", params)


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


_RESPONSE_DIMS = {
    "unit_id": "r.unit_id",
    "service_id": "COALESCE(r.service_id, 0)",
    "channel": "r.channel",
    "campaign_id": "COALESCE(r.campaign_id, 0)",
    "version_id": "r.version_id",
}
_ANSWER_KEYS = {
    "item_id": "a.item_id",
    "value": "CASE WHEN a.not_applicable THEN 0 ELSE COALESCE(a.value, 0) END",
    "state": f"CASE WHEN a.not_applicable THEN {STATE_NOT_APPLICABLE} "
    f"WHEN a.value IS NULL THEN {STATE_NO_VALUE} ELSE {STATE_VALUE} END",
    "option_id": "COALESCE(a.option_id, 0)",
}
_RESPONSE_ROW = {"item_id": str(RESPONSES_ITEM), "value": "0", "state": str(STATE_VALUE)}


def _score_sums() -> list[str]:
    valued = "NOT a.not_applicable AND a.value IS NOT NULL"
    return [
        "COUNT(*)",
        "SUM(CASE WHEN a.not_applicable THEN 1 ELSE 0 END)",
        *(f"SUM(CASE WHEN {valued} AND a.value = {v} THEN 1 ELSE 0 END)" for v in SCORED_VALUES),
        f"SUM(CASE WHEN {valued} AND (a.value < {min(SCORED_VALUES)} "
        f"OR a.value > {max(SCORED_VALUES)}) THEN 1 ELSE 0 END)",
    ]


def _count_sql(table: Table, time_sql: str) -> str:
    """SELECT the table's rows counted from the raw answers of [%s, %s) local dates: the answer
    rows, then (UNION ALL) the responses themselves on item 0 (not in OptionMonth). The same
    arithmetic as `answer_key` and `Table.cells`: a "không áp dụng" row has state 1, a row
    without a value state 2."""
    quote = connection.ops.quote_name
    answer, response = quote(Answer._meta.db_table), quote(Response._meta.db_table)
    dims = [_RESPONSE_DIMS[k] for k in table.keys if k in _RESPONSE_DIMS]
    answer_cols = [_ANSWER_KEYS[k] for k in table.keys if k in _ANSWER_KEYS]
    response_cols = [_RESPONSE_ROW.get(k, "0") for k in table.keys if k in _ANSWER_KEYS]
    # The time columns before the dimensions: the day (grouped by), a constant month, or a
    # period table's constant start and grain (constants are not grouped by).
    leading = 2 if table.grains else 1
    first = 1 if table.time == "day" else leading + 1
    answers_group = ", ".join(
        str(i) for i in range(first, leading + len(dims) + len(answer_cols) + 1)
    )
    responses_group = ", ".join(str(i) for i in range(first, leading + len(dims) + 1))
    where = "r.local_date >= %s AND r.local_date < %s"
    if table.shape == SCORES:
        sums, response_sums = _score_sums(), ["COUNT(*)", *(["0"] * (len(SCORE_COLUMNS) - 1))]
    else:
        sums, response_sums = ["COUNT(*)"], ["COUNT(*)"]
    answers = (
        f"SELECT {time_sql}, {', '.join(dims + answer_cols + sums)} "  # noqa: S608
        f"FROM {answer} a INNER JOIN {response} r ON r.id = a.response_id WHERE {where}"
    )
    if table.shape == OPTIONS:
        return (
            f"{answers} AND a.option_id IS NOT NULL AND a.value IS NULL "
            f"AND NOT a.not_applicable GROUP BY {answers_group}"
        )
    return (
        f"{answers} GROUP BY {answers_group} UNION ALL "  # noqa: S608
        f"SELECT {time_sql}, {', '.join(dims + response_cols + response_sums)} "
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


@dataclass(frozen=True)
class Span:
    """One period of the period tables: `grain` months from `start`."""

    grain: int
    start: date

    @property
    def end(self) -> date:
        return period_end(self.start, self.grain)


def spans(first_day: date, end_day: date) -> list[Span]:
    """The months, quarters and years that [first_day, end_day) touches."""
    found = []
    for grain in GRAINS:
        start = period_start(first_day, grain)
        while start < end_day:
            found.append(Span(grain, start))
            start = period_end(start, grain)
    return found


def _range(table: Table, chunk: Chunk) -> tuple[date, date]:
    if table.time == "day":
        return chunk.first_day, chunk.end_day
    return chunk.month, next_month(chunk.month)


def _select(table: Table, chunk: Chunk) -> tuple[str, list]:
    first, end = _range(table, chunk)
    parts = 1 if table.shape == OPTIONS else 2  # the answers (and the responses)
    if table.time == "day":
        return _count_sql(table, "r.local_date"), [first, end] * parts
    return _count_sql(table, "%s"), [chunk.month, first, end] * parts


def _normalised(table: Table, row) -> tuple[tuple, tuple[int, ...]]:
    """A row read back from either database as (key, counts), the time as a date."""
    width = len(table.counts)
    key, counts = row[:-width], row[-width:]
    time = key[0]
    if isinstance(time, str):
        time = date.fromisoformat(time)
    elif hasattr(time, "date"):
        time = time.date()
    return (time, *key[1:]), tuple(int(c) for c in counts)


def recounted(table: Table, chunk: Chunk) -> dict[tuple, tuple[int, ...]]:
    """The table's rows for the chunk, counted from the raw answers: {key: counts}."""
    sql, params = _select(table, chunk)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(_normalised(table, row) for row in cursor.fetchall())


def recounted_span(table: Table, span: Span) -> dict[tuple, tuple[int, ...]]:
    """A period table's rows for one period, counted from the raw answers."""
    sql = _count_sql(table, "%s, %s")
    with connection.cursor() as cursor:
        cursor.execute(sql, [span.start, span.grain, span.start, span.end] * 2)
        return dict(_normalised(table, row) for row in cursor.fetchall())


def stored_span(table: Table, span: Span) -> dict[tuple, tuple[int, ...]]:
    rows = table.model.objects.filter(grain=span.grain, start=span.start).values_list(
        *table.columns, *table.counts
    )
    return dict(_normalised(table, row) for row in rows)


def stored(table: Table, chunk: Chunk) -> dict[tuple, tuple[int, ...]]:
    first, end = _range(table, chunk)
    rows = table.model.objects.filter(
        **{f"{table.time}__gte": first, f"{table.time}__lt": end}
    ).values_list(*table.columns, *table.counts)
    return dict(_normalised(table, row) for row in rows)


@dataclass(frozen=True)
class Difference:
    table: str  # the model's name
    key: dict  # column → value; a score table's counted column under "column"
    stored: int  # 0: no row
    recounted: int  # 0: nothing to count


def data_range() -> tuple[date, date] | None:
    """[first, end) days holding responses or rollup rows; None when there are none."""
    days: list[date] = []
    for model, column in (
        (Response, "local_date"),
        (AnswerDay, "day"),
        (AnswerMonth, "month"),
        (ScoreMonth, "month"),
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
    [first_day, end_day) in AnswerDay, the whole months they touch in the month tables and the
    whole months, quarters and years they touch in the period tables; in a score table, every
    counted column that differs."""
    for chunk in chunks(first_day, end_day):
        for table in MONTH_TABLES:
            yield from _differences(table, stored(table, chunk), recounted(table, chunk))
    for span in spans(first_day, end_day):
        for table in PERIOD_TABLES:
            yield from _differences(table, stored_span(table, span), recounted_span(table, span))


def _differences(table: Table, have: dict, want: dict) -> Iterator[Difference]:
    nothing = (0,) * len(table.counts)
    for key in sorted(set(have) | set(want)):
        # A stored row of count 0 (which should have been deleted) differs too.
        if have.get(key) == want.get(key):
            continue
        named = dict(zip(table.columns, key, strict=True))
        stored_, recounted_ = have.get(key, nothing), want.get(key, nothing)
        columns = zip(table.counts, stored_, recounted_, strict=True)
        differing = [(c, mine, theirs) for c, mine, theirs in columns if mine != theirs]
        # Only a row of zeros on one side: it should have been deleted.
        for column, mine, theirs in differing or [(table.counts[0], 0, 0)]:
            yield Difference(
                table.model.__name__,
                named if table.shape != SCORES else {**named, "column": column},
                mine,
                theirs,
            )


def _derived_sums() -> list[str]:
    """A score table's counted columns summed from AnswerMonth's rows."""
    quote = connection.ops.quote_name
    count = quote("count")
    valued = f"item_id <> {RESPONSES_ITEM} AND state = {STATE_VALUE}"
    low, high = min(SCORED_VALUES), max(SCORED_VALUES)
    return [
        f"SUM({count})",
        f"SUM(CASE WHEN state = {STATE_NOT_APPLICABLE} THEN {count} ELSE 0 END)",
        *(
            f"SUM(CASE WHEN {valued} AND value = {v} THEN {count} ELSE 0 END)"
            for v in SCORED_VALUES
        ),
        f"SUM(CASE WHEN {valued} AND (value < {low} OR value > {high}) THEN {count} ELSE 0 END)",
    ]


def _derived_sql(table: Table) -> str:
    """SELECT a score or option table's rows for the months [%s, %s) summed from AnswerMonth,
    which has every dimension: the rebuild recounts the raw answers once per month, not once
    per table, and a migration fills a new table from counts that outlive disposed forms. A
    period table's rows of one period: its start and grain are the first two parameters."""
    quote = connection.ops.quote_name
    source = quote(AnswerMonth._meta.db_table)
    where = "month >= %s AND month < %s"
    if table.grains:
        keys = _quoted(table.keys[1:])
        return (
            f"SELECT %s, %s, {keys}, {', '.join(_derived_sums())} "  # noqa: S608
            f"FROM {source} WHERE {where} GROUP BY {keys}"
        )
    keys = _quoted(table.columns)
    if table.shape == OPTIONS:
        return (
            f"SELECT {keys}, SUM({quote('count')}) FROM {source} "  # noqa: S608
            f"WHERE {where} AND option_id <> 0 AND state = {STATE_NO_VALUE} "
            f"AND item_id <> {RESPONSES_ITEM} GROUP BY {keys}"
        )
    return (
        f"SELECT {keys}, {', '.join(_derived_sums())} FROM {source} "  # noqa: S608
        f"WHERE {where} GROUP BY {keys}"
    )


def derived_tables_fill(first_month: date, end_month: date) -> dict[str, int]:
    """Replace the score and option tables' rows of the months [first_month, end_month) by
    sums of AnswerMonth's; rows written per table."""
    written = {}
    quote = connection.ops.quote_name
    for table in MONTH_TABLES:
        if table.shape == TALLY:
            continue
        table.model.objects.filter(month__gte=first_month, month__lt=end_month).delete()
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {quote(table.name)} "
                f"({_quoted((*table.columns, *table.counts))}) {_derived_sql(table)}",
                [first_month, end_month],
            )
            written[table.model.__name__] = cursor.rowcount
    return written


def period_tables_fill(periods: Iterable[Span]) -> dict[str, int]:
    """Replace the period tables' rows of these periods by sums of AnswerMonth's whole
    months; rows written per table."""
    written = {table.model.__name__: 0 for table in PERIOD_TABLES}
    quote = connection.ops.quote_name
    for span in periods:
        for table in PERIOD_TABLES:
            table.model.objects.filter(grain=span.grain, start=span.start).delete()
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {quote(table.name)} "
                    f"({_quoted((*table.columns, *table.counts))}) {_derived_sql(table)}",
                    [span.start, span.grain, span.start, span.end],
                )
                written[table.model.__name__] += cursor.rowcount
    return written


def rollups_rebuild(first_day: date, end_day: date) -> dict[str, int]:
    """Delete and recount the days of [first_day, end_day) in AnswerDay and the whole months
    they touch in the month tables, in one transaction; rows written per table. The raw answers
    are read for AnswerDay and AnswerMonth; the score and option tables are summed from
    AnswerMonth (`derived_tables_fill`), the period tables' months, quarters and years touched
    by the range summed whole from AnswerMonth once it is recounted (`period_tables_fill`).

    On PostgreSQL the tables are locked against writes (readers go on) for the length of the
    rebuild: a response stored meanwhile waits, then its hook adds it to the recount, which
    could not see it; one stored before is in the recount. SQLite writes one at a time anyway.

    Raw forms disposed of (HD.07 keeps them 2 years) cannot be counted again: rebuild only
    periods whose forms are all still kept."""
    written = {table.model.__name__: 0 for table in TABLES}
    quote = connection.ops.quote_name
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {_quoted(t.name for t in TABLES)} IN EXCLUSIVE MODE")
        for chunk in chunks(first_day, end_day):
            for table in MONTH_TABLES:
                if table.shape != TALLY:
                    continue
                first, end = _range(table, chunk)
                table.model.objects.filter(
                    **{f"{table.time}__gte": first, f"{table.time}__lt": end}
                ).delete()
                sql, params = _select(table, chunk)
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"INSERT INTO {quote(table.name)} "
                        f"({_quoted((*table.columns, *table.counts))}) {sql}",
                        params,
                    )
                    written[table.model.__name__] += cursor.rowcount
            for name, rows in derived_tables_fill(chunk.month, next_month(chunk.month)).items():
                written[name] += rows
        # The quarters and years touched, whole, once their months are recounted.
        for name, rows in period_tables_fill(spans(first_day, end_day)).items():
            written[name] += rows
    return written
