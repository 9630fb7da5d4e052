"""The write path's bulk entry: responses generated already valid (`manage.py generate_data`,
benchmarks), stored as fast as the database takes them.

Every other channel stores through `responses_store`, which checks each submission against its
questionnaire, its campaign and the responses stored before (about 120 µs a response). A
generator builds its answers from the questionnaire's own schema, so those checks would only
confirm what it built; this entry skips them and keeps everything else of the write path: the
same INSERT helpers (COPY on PostgreSQL, multi-row INSERT and executemany on SQLite), the
write-path marker the test suite watches, and the hooks, called once per chunk with the
chunk's changes inside the chunk's transaction, so the rollups are kept exactly as for any
other response.

`hooks=False` stores without telling the hooks: only for a loader that rebuilds what the hooks
keep right after (`rollups_rebuild`), where one recount of a million responses is cheaper than
a thousand incremental upserts. Whoever passes it owns that rebuild.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction

from hailong.surveys.models import Response
from hailong.surveys.schema import AnswerRow
from hailong.surveys.services.responses import (
    RESPONSE_FIELDS,
    ResponseChange,
    _answer_tuples,
    _defaults,
    _insert_answers,
    _insert_responses,
    _run_hooks,
    _write_path,
)

# Responses per transaction: large enough that a chunk's fixed costs (a transaction, the
# hooks' upsert per rollup table) are spread thin, small enough to keep memory flat.
BULK_CHUNK = 5000


@dataclass
class Loadable:
    """A response ready to insert (unsaved, all its fields set) and its answer rows, in the
    questionnaire's order, as `validate_answers` would have produced them."""

    response: Response
    rows: Sequence[AnswerRow]


def response_builder() -> Callable[..., Response]:
    """A function building an unsaved Response from its field values (attnames: unit_id,
    version_id…), every other field at its default, positionally as the write path builds it.
    The defaults are read once per builder (they are constants today; a field given a callable
    default later would get one value per builder, not per row)."""
    defaults = _defaults()
    names = tuple(RESPONSE_FIELDS)

    def build(**values) -> Response:
        fields = defaults | values
        if len(fields) != len(defaults):
            raise TypeError(f"not fields of Response: {sorted(set(values) - set(defaults))}")
        return Response(*(fields[name] for name in names))

    return build


def responses_bulk_load(
    items: Iterable[Loadable],
    *,
    hooks: bool = True,
    chunk: int = BULK_CHUNK,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Insert pre-validated responses and their answers, `chunk` at a time, each chunk in one
    transaction with the hooks told of its responses (unless `hooks` is False: see the module's
    docstring). `progress` is called with the running total after each chunk. Returns the
    number of responses stored."""
    stored = 0
    batch: list[Loadable] = []
    for item in items:
        batch.append(item)
        if len(batch) >= chunk:
            stored += _load_chunk(batch, hooks=hooks)
            batch = []
            if progress is not None:
                progress(stored)
    if batch:
        stored += _load_chunk(batch, hooks=hooks)
        if progress is not None:
            progress(stored)
    return stored


def _load_chunk(batch: list[Loadable], *, hooks: bool) -> int:
    with _write_path(), transaction.atomic():
        _insert_responses([item.response for item in batch])
        _insert_answers(
            row for item in batch for row in _answer_tuples(item.response.pk, item.rows)
        )
        if hooks:
            _run_hooks(
                [ResponseChange("stored", item.response, added=tuple(item.rows)) for item in batch]
            )
    return len(batch)
