"""The dashboard's stored facts about each dossier of the register (surveys.Dossier
returned_on, time_points, has_pakn, unsatisfied_responses): kept where they change, recomputed
from scratch to check or repair them.

The definitions are dossier_figures' (its docstring), computed here once per change instead of
once per page load:
- returned_on: the local (Asia/Ho_Chi_Minh) date of returned_at; time_points: Dossier.time_score
  (2 returned before the due day, 1 on it, 0 after it; null without a return or a due date).
  Kept by Dossier.save and Dossier.dates_fill (the register's bulk writes);
- has_pakn: a feedback Case of kind PAKN about the dossier's unit with its code, compared in
  upper case (hailong.feedback.dossier_links, which case writes call);
- unsatisfied_responses: the linked responses (Response.dossier) with the overall 5-point answer
  at most 2 or a 3-level rating of 1 (dashboard.UNSATISFIED_OVERALL_MAX, RATING3_UNSATISFIED).

Kept by two hooks, in the transaction of the change:
- `on_response_changes` (settings.HAILONG_RESPONSE_HOOKS): a dossier-linked response stored,
  corrected or deleted moves its dossier's count by ±1, worked out in Python from the change's
  answer rows: no query for a batch without a dossier-linked response whose verdict changed,
  one UPDATE otherwise;
- `on_dossiers_written` (settings.HAILONG_DOSSIER_HOOKS, from the register's writes and
  `responses_link_dossiers`, which links responses without the response hooks): the dossiers'
  facts computed again in one UPDATE (a dossier registered after its PAKN case or after its
  responses gets them right).

`dossier_fact_differences` recomputes everything from the cases, the answers and the dates
(SQL, set-based) and lists where the stored facts differ; `dossier_facts_rebuild` writes the
recomputed facts where they do (`manage.py rollups_rebuild [--check]`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.db.models import Case as SqlCase
from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact, LessThan

from hailong.core.periods import LOCAL_TZ
from hailong.feedback.dossier_links import pakn_cases, pakn_exists
from hailong.surveys.models import Answer, Dossier, Response

# Dossiers per UPDATE of a rebuild (ids as parameters: well under SQLite's limit).
REBUILD_CHUNK = 500

FACTS = ("returned_on", "time_points", "has_pakn", "unsatisfied_responses")


# ---- the definitions in SQL ----------------------------------------------------------------


def _fixed_offset_hours() -> int:
    """Asia/Ho_Chi_Minh's offset, checked to be the same all year (UTC+7, no daylight saving
    since 1975), which is what lets SQLite compute local dates by itself."""
    offsets = {
        LOCAL_TZ.utcoffset(datetime(year, month, 1)) for year in (1990, 2026) for month in (1, 7)
    }
    (offset,) = offsets
    return int(offset.total_seconds() // 3600)


class LocalDate(Func):
    """The local (Asia/Ho_Chi_Minh) date of a datetime column, computed by the database.
    Django's TruncDate on SQLite calls a Python function for every row and every use; SQLite's
    own date(x, '+7 hours') gives the same date, as does PostgreSQL's AT TIME ZONE."""

    output_field = DateField()

    def as_sqlite(self, compiler, connection, **extra):
        hours = _fixed_offset_hours()
        return self.as_sql(
            compiler, connection, template=f"date(%(expressions)s, '{hours:+d} hours')", **extra
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template=f"(%(expressions)s AT TIME ZONE '{LOCAL_TZ.key}')::date",
            **extra,
        )


def time_score_expression():
    """Dossier.time_score in SQL: the local dates of returned_at and due_at compared."""
    returned, due = LocalDate("returned_at"), LocalDate("due_at")
    return SqlCase(
        When(Q(returned_at__isnull=True) | Q(due_at__isnull=True), then=Value(None)),
        When(LessThan(returned, due), then=Value(2)),
        When(Exact(returned, due), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


def unsatisfied_answers() -> Q:
    """The answer rows that make their response "rated unsatisfied" (the dashboard's)."""
    from hailong.analytics.dashboard import RATING3_UNSATISFIED, UNSATISFIED_OVERALL_MAX

    return Q(item__is_overall=True, item__kind="scale5", value__lte=UNSATISFIED_OVERALL_MAX) | Q(
        item__kind="rating3", value=RATING3_UNSATISFIED
    )


def unsatisfied_count():
    """For a Dossier queryset: its linked responses rated unsatisfied, counted."""
    rated = (
        Response.objects.filter(dossier_id=OuterRef("pk"))
        .filter(Exists(Answer.objects.filter(unsatisfied_answers(), response_id=OuterRef("pk"))))
        .order_by()
        .values("dossier_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rated, output_field=IntegerField()), Value(0))


# ---- the hooks -----------------------------------------------------------------------------


def _rated_unsatisfied(schema, rows) -> bool:
    """The rows' verdict, as `unsatisfied_answers` reads them in SQL."""
    from hailong.analytics.dashboard import RATING3_UNSATISFIED, UNSATISFIED_OVERALL_MAX

    items = {item.id: item for item in schema.items}
    for row in rows:
        item = items.get(row.item_id)
        if item is None or row.value is None:
            continue
        if item.is_overall and item.kind == "scale5" and row.value <= UNSATISFIED_OVERALL_MAX:
            return True
        if item.kind == "rating3" and row.value == RATING3_UNSATISFIED:
            return True
    return False


def unsatisfied_deltas(changes) -> dict[int, int]:
    """What the changes add to each linked dossier's count of responses rated unsatisfied."""
    from hailong.surveys.schema import schema_for

    deltas: Counter = Counter()
    schemas: dict[int, object] = {}
    for change in changes:
        response = change.response
        if response.dossier_id is None:
            continue
        if response.version_id not in schemas:
            # The write path hands responses with their version cached; a bulk load reads
            # it once per version and batch.
            schemas[response.version_id] = schema_for(response.version)
        schema = schemas[response.version_id]
        before = change.kind != "stored" and _rated_unsatisfied(schema, change.removed)
        after = change.kind != "deleted" and _rated_unsatisfied(schema, change.added)
        deltas[response.dossier_id] += int(after) - int(before)
    return {pk: delta for pk, delta in deltas.items() if delta}


def on_response_changes(changes) -> None:
    """The responses' write path hook: the linked dossiers' counts moved, one UPDATE, only
    when some verdict changed (sorted ids: two batches lock dossiers in the same order)."""
    deltas = unsatisfied_deltas(changes)
    if not deltas:
        return
    moved = SqlCase(
        *(When(pk=pk, then=Value(delta)) for pk, delta in sorted(deltas.items())),
        default=Value(0),
        output_field=IntegerField(),
    )
    Dossier.objects.filter(pk__in=sorted(deltas)).update(
        unsatisfied_responses=F("unsatisfied_responses") + moved
    )


def dossier_facts_refresh(dossier_ids: Sequence[int]) -> int:
    """Compute the stored facts of these dossiers again from scratch, in one UPDATE per
    REBUILD_CHUNK dossiers. Dossiers updated."""
    ids = sorted(set(dossier_ids))
    updated = 0
    for start in range(0, len(ids), REBUILD_CHUNK):
        updated += Dossier.objects.filter(pk__in=ids[start : start + REBUILD_CHUNK]).update(
            returned_on=LocalDate("returned_at"),
            time_points=time_score_expression(),
            has_pakn=pakn_exists(),
            unsatisfied_responses=unsatisfied_count(),
        )
    return updated


def on_dossiers_written(dossier_ids: Sequence[int]) -> None:
    """The register's hook (settings.HAILONG_DOSSIER_HOOKS): dossiers written or linked to
    responses get their facts computed again."""
    dossier_facts_refresh(dossier_ids)


# ---- from scratch --------------------------------------------------------------------------


@dataclass(frozen=True)
class FactDifference:
    dossier_id: int
    code: str
    column: str
    stored: object
    recomputed: object


def _as_date(value) -> date | None:
    if isinstance(value, str):
        return date.fromisoformat(value)
    if isinstance(value, datetime):
        return value.date()
    return value


def dossier_fact_differences() -> Iterator[FactDifference]:
    """Every stored fact of the register that differs from a recompute from scratch (the
    dates in SQL, the PAKN cases and the answers read as sets, as dossier_figures once did
    on every page load), dossier by dossier in id order."""
    with_pakn = set(
        Dossier.objects.filter(pakn_exists(), code__in=pakn_cases().values("upper_code"))
        .values_list("pk", flat=True)
        .order_by()
    )
    unsatisfied = dict(
        Answer.objects.filter(unsatisfied_answers(), response__dossier__isnull=False)
        .values("response__dossier_id")
        .annotate(n=Count("response_id", distinct=True))
        .values_list("response__dossier_id", "n")
        .order_by()
    )
    rows = (
        Dossier.objects.annotate(
            want_returned_on=LocalDate("returned_at"), want_points=time_score_expression()
        )
        .order_by("pk")
        .values_list("pk", "code", *FACTS, "want_returned_on", "want_points")
    )
    for pk, code, returned_on, points, has_pakn, count, want_on, want_points in rows.iterator(
        chunk_size=2000
    ):
        wanted = (_as_date(want_on), want_points, pk in with_pakn, unsatisfied.get(pk, 0))
        for column, have, want in zip(
            FACTS, (returned_on, points, has_pakn, count), wanted, strict=True
        ):
            if have != want:
                yield FactDifference(pk, code, column, have, want)


def dossier_facts_rebuild() -> int:
    """Write the recomputed facts of every dossier where they differ, in one transaction;
    the number of dossiers corrected."""
    with transaction.atomic():
        wrong = sorted({d.dossier_id for d in dossier_fact_differences()})
        dossier_facts_refresh(wrong)
    return len(wrong)
