"""Responses per second through the write path's bulk store (issue 9: 100,000-row import).

Usage (a throwaway database is created and dropped):
    .venv/bin/python -m bench.store_throughput --responses 100000 [--database postgres]

The ceilings printed beside it are raw inserts of the same answer rows through the
database driver, measured in the same run, because this machine is noisy.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time


def _server() -> str:
    """The PostgreSQL server to use (the URL scripts/ensure-postgres prints), any database."""
    return os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres")


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(_server().rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(sql)


def _setup(database: str) -> str:
    if database == "postgres":
        name = f"hl_bench_{os.getpid()}"
        _admin(f"CREATE DATABASE {name}")
        os.environ["DATABASE_URL"] = _server().rsplit("/", 1)[0] + f"/{name}"
        return name
    folder = tempfile.mkdtemp(prefix="hl-bench-")
    os.environ["HAILONG_VAR_DIR"] = folder
    os.environ.pop("DATABASE_URL", None)
    return folder


def _teardown(database: str, handle: str) -> None:
    from django.db import connections

    connections.close_all()
    if database == "postgres":
        _admin(f"DROP DATABASE IF EXISTS {handle}")
    else:
        shutil.rmtree(handle, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--batch", type=int, default=1000)
    args = parser.parse_args()
    handle = _setup(args.database)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    sys.path.insert(0, os.getcwd())
    import django

    django.setup()
    from django.core.management import call_command

    try:
        call_command("migrate", verbosity=0)
        print(_run(args), flush=True)
    finally:
        _teardown(args.database, handle)


def _submissions(n: int):
    from datetime import timedelta

    from django.utils import timezone

    from hailong.organisation.models import Unit
    from hailong.surveys.models import Campaign, QuestionnaireVersion
    from hailong.surveys.services.responses import Submission

    sipas = QuestionnaireVersion.objects.get(questionnaire__code="sipas", number=1)
    # Codes of this run's own: a bench may run again on a database kept from an earlier run.
    run = f"{time.time_ns():x}"[-8:].upper()
    root = Unit.objects.create(code=f"ROOT-{run}", name="Tỉnh", kind="province", path="")
    root.path = f"/{root.pk}/"
    root.save()
    units = []
    for i in range(15):
        unit = Unit.objects.create(
            code=f"U{i}-{run}", name=f"Đơn vị {i}", kind="department", parent=root
        )
        unit.path = f"{root.path}{unit.pk}/"
        unit.save()
        units.append(unit)
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        name="Bench",
        version=sipas,
        starts_on=today - timedelta(days=400),
        ends_on=today + timedelta(days=30),
        channels=["import", "web", "paper", "api", "kiosk"],
        status="open",
    )
    campaign.units.set([root])
    rng = random.Random(9)
    codes = [
        f"{e}{k}"
        for e, c in (("TC", 4), ("TT", 4), ("CC", 5), ("KQ", 3), ("PA", 3))
        for k in range(1, c + 1)
    ]
    now = timezone.now()
    out = []
    for i in range(n):
        answers = {c: str(rng.randint(1, 5)) for c in codes}
        answers["HL"] = str(rng.randint(1, 5))
        answers["MM"] = ["TC", "CC"]
        answers["TUOI"] = "3"
        if i % 3 == 0:
            answers["YK"] = "Cán bộ nhiệt tình, hướng dẫn rõ ràng."
        out.append(
            Submission(
                version=sipas,
                unit=units[i % 15],
                channel="import",
                answers=answers,
                campaign=campaign,
                submitted_at=now - timedelta(minutes=i % 500_000),
                idempotency_key=f"bench:{i}",
            )
        )
    return out


def _store(submissions, batch: int) -> int:
    from hailong.surveys.services.responses import responses_store

    stored = 0
    for start in range(0, len(submissions), batch):
        stored += responses_store(submissions[start : start + batch], actor=None).stored_count
    return stored


def _raw_ceiling(n_rows: int, *, indexed: bool) -> float:
    """Seconds for a raw insert through the driver (COPY on PostgreSQL, executemany on SQLite)
    of n_rows answer-shaped rows into a scratch table: bare, or with the answer table's own
    indexes and foreign keys (the database's share of the write path's work)."""
    from django.db import connection, transaction

    table = f"bench_raw_{int(indexed)}"
    rows = [(i // 26 + 1, 1 + i % 20, None, i % 5 + 1, False, "") for i in range(n_rows)]
    with connection.cursor() as cursor:
        references = (
            " REFERENCES surveys_response (id) DEFERRABLE INITIALLY DEFERRED" if indexed else ""
        )
        item_ref = " REFERENCES surveys_item (id) DEFERRABLE INITIALLY DEFERRED" if indexed else ""
        key = "bigserial" if connection.vendor == "postgresql" else "integer"
        cursor.execute(
            f"CREATE TABLE {table} (id {key}"
            f" PRIMARY KEY, response_id bigint{references}, item_id bigint{item_ref},"
            " option_id bigint, value integer, not_applicable boolean, text text)"
        )
        if indexed:
            cursor.execute(f"CREATE INDEX {table}_r ON {table} (response_id)")
            cursor.execute(f"CREATE INDEX {table}_iv ON {table} (item_id, value)")
    columns = "response_id, item_id, option_id, value, not_applicable, text"
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s)", rows
            )
    return time.perf_counter() - started


def _run(args) -> str:
    from django.db import connection

    from hailong.surveys.models import Answer, Response

    submissions = _submissions(args.responses)
    started = time.perf_counter()
    stored = _store(submissions, args.batch)
    seconds = time.perf_counter() - started
    answers = Answer.objects.count()
    assert stored == args.responses == Response.objects.count(), (stored, Response.objects.count())
    ceiling = _raw_ceiling(answers, indexed=False)
    indexed = _raw_ceiling(answers, indexed=True)
    return (
        f"{connection.vendor}: {stored} responses ({answers} answers) in {seconds:.1f} s ="
        f" {stored / seconds:,.0f} responses/s; raw driver insert of the same {answers} answer"
        f" rows: {ceiling:.1f} s = {answers / ceiling:,.0f} rows/s"
        f" (write path = {100 * (answers / seconds) / (answers / ceiling):.0f}% of the raw rate);"
        f" with the answer table's indexes and foreign keys: {indexed:.1f} s ="
        f" {answers / indexed:,.0f} rows/s ({100 * indexed / seconds:.0f}% of the write path's"
        " time is the database's own work on the rows)"
    )


if __name__ == "__main__":
    main()
