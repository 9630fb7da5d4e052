"""The probe hook (tests only), added to every test by the root conftest.

At the end of each test that used the database, `unexplained_answers` compares the ledger the
hook kept with the answers actually stored: any code path that stores, changes or deletes
answers without going through the write path (and so without its hooks) fails that test. The
ledger lives in the database, inside the write's transaction, so a rollback undoes both."""

from __future__ import annotations

import re

from tests.probe.models import LedgerEntry


def _rows(rows) -> list[list]:
    return sorted(
        [row.item_id, row.option_id, row.value, bool(row.not_applicable), row.text] for row in rows
    )


def record(changes) -> None:
    stored = [c for c in changes if c.kind == "stored"]
    LedgerEntry.objects.bulk_create(
        [LedgerEntry(response_id=c.response.pk, answers=_rows(c.added)) for c in stored]
    )
    for change in changes:
        if change.kind == "stored":
            continue
        entry = LedgerEntry.objects.get(response_id=change.response.pk)
        assert entry.answers == _rows(change.removed), f"response {change.response.pk}"
        if change.kind == "deleted":
            entry.delete()
        else:
            entry.answers = _rows(change.added)
            entry.save(update_fields=["answers"])


def unexplained_answers() -> dict:
    """{response id: (answers in the database, answers the hooks were told of)} where they
    differ; empty when every answer went through the write path."""
    from hailong.surveys.models import Answer, Response

    found: dict[int, list] = {pk: [] for pk in Response.objects.values_list("pk", flat=True)}
    for response_id, *values in Answer.objects.values_list(
        "response_id", "item_id", "option_id", "value", "not_applicable", "text"
    ):
        found.setdefault(response_id, []).append(values)
    told = dict(LedgerEntry.objects.values_list("response_id", "answers"))
    return {
        pk: (sorted(found.get(pk, [])), told.get(pk))
        for pk in set(found) | set(told)
        if sorted(found.get(pk, [])) != told.get(pk)
    }


# Columns an ORM cascade may clear on its own (on_delete=SET_NULL of a service point, a staff
# member, an import): none of them is something answers are counted by.
CLEARED_BY_CASCADES = {"service_point_id", "entered_by_id", "source_import_id", "consent_id"}
_WRITE = re.compile(
    r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(surveys_response|surveys_answer)"?\s', re.I
)


def refuse_writes_around_the_write_path(execute, sql, params, many, context):
    """A database execute wrapper: SQL writing responses or answers is refused unless the write
    path's services are running (or it is a cascade clearing a column nobody counts by)."""
    from hailong.surveys.services.responses import write_path_active

    found = _WRITE.match(sql)
    if found and not write_path_active():
        columns = set(re.findall(r'"(\w+)" = NULL', sql))
        cascade = found.group(1).upper() == "UPDATE" and columns and columns <= CLEARED_BY_CASCADES
        assert cascade, f"written around the write path: {sql[:200]}"
    return execute(sql, params, many, context)
