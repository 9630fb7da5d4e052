"""Analytics at scale (issue 12): the rollups' reads against raw scans of the same answers.

Usage (a throwaway database is created and dropped for each size):
    .venv/bin/python -m bench.analytics_bench --responses 100000 [--responses 1000000]
        [--database sqlite|postgres] [--submissions 5000] [--no-hooks]

For each size it prints, and writes to bench/results/<date>-<database>.json:
- generation: `generate_data` (the write path's bulk entry, the hooks keeping the rollups);
- `indices` for a year across all units: `documents.indices_document` and the command, p50/p95;
- the dashboard (URL `analytics:dashboard`) over 10 typical filter sets, p50/p95, through
  Django's test client as a signed-in leader; skipped with a note when the URL does not exist;
- the same indices computed by raw scans of the answers: a plain SQL GROUP BY on the answer and
  response tables, and DuckDB over a Parquet file of the answers written by the bench (the
  load is timed apart: it is the ceiling's setup, not its scan); each checked equal to the
  rollups' document;
- submission throughput of the write path (`responses_store`, bench/store_throughput.py's
  submissions) with and without the rollup hook.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from bench.store_throughput import _setup, _teardown

ROLLUP_HOOK = "hailong.analytics.rollups.on_response_changes"
RESULTS = Path(__file__).resolve().parent / "results"


def _percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "p50_ms": round(1000 * statistics.median(ordered), 2),
        "p95_ms": round(1000 * p95, 2),
        "runs": len(ordered),
    }


def _timed(fn, runs: int) -> tuple[list[float], object]:
    samples, result = [], None
    for _run in range(runs):
        started = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - started)
    return samples, result


def _year(today: date) -> int:
    """The last whole year of the generated data."""
    return today.year - 1


# --- the rollups' reads ---------------------------------------------------------------------


def _slice(year: int):
    from hailong.analytics.selectors import Slice
    from hailong.core.periods import parse_period
    from hailong.organisation.scope import Scope

    return Slice(
        period=parse_period(str(year)), scope=Scope(everything=True), questionnaire="sipas"
    )


def bench_indices(year: int, runs: int) -> dict:
    from django.core.management import call_command

    from hailong.analytics.documents import indices_document

    slice_ = _slice(year)
    document_samples, document = _timed(lambda: indices_document(slice_, unit_code=None), runs)

    def command():
        out = io.StringIO()
        call_command("indices", "--period", str(year), "--json", stdout=out)
        return json.loads(out.getvalue())

    command_samples, from_command = _timed(command, runs)
    profile = cProfile.Profile()
    profile.enable()
    indices_document(slice_, unit_code=None)
    profile.disable()
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(12)
    assert from_command == document, "the command and the document differ"
    return {
        "document": _percentiles(document_samples),
        "command": _percentiles(command_samples),
        "responses": document.get("responses"),
        "overall": document["overall"],
        "_document": document,
        "profile": out.getvalue(),
    }


# Typical filter sets of a leader, with the dashboard form's parameters (a unit is written by
# its code here and sent as the form's id).
DASHBOARD_FILTERS = [
    {},
    {"period": "{year}"},
    {"period": "Q4/{year}"},
    {"period": "10/{year}"},
    {"period": "{year}", "unit": "MOTCUA"},
    {"period": "{year}", "unit": "XA"},
    {"period": "{year}", "channel": "kiosk"},
    {"period": "{year}", "questionnaire": "sipas"},
    {"period": "Q2/{year}", "unit": "PTNMT", "channel": "web"},
    {"period": "01/03/{year}–15/05/{year}"},
]


def bench_dashboard(year: int, rounds: int) -> dict:
    from django.urls import NoReverseMatch, reverse

    from hailong.organisation.models import Role, Staff

    try:
        url = reverse("analytics:dashboard")
    except NoReverseMatch:
        return {"skipped": "the URL analytics:dashboard does not exist in this checkout"}
    leader, _created = Staff.objects.get_or_create(
        username="bench-leader", defaults={"full_name": "Lãnh đạo (bench)", "role": Role.LEADER}
    )
    # A leader sees the units assigned to them with their subtrees: the whole tree here.
    from hailong.organisation.models import Unit

    leader.units.set(Unit.objects.filter(parent__isnull=True))
    client = _client(leader)
    samples, statuses = [], set()
    units = dict(Unit.objects.values_list("code", "pk"))
    filters = [{k: v.format(year=year) for k, v in f.items()} for f in DASHBOARD_FILTERS]
    for params in filters:
        if "unit" in params:
            params["unit"] = units[params["unit"]]
    client.get(url, filters[1])  # warm the caches once, as a running server has them
    for _round in range(rounds):
        for params in filters:
            started = time.perf_counter()
            response = client.get(url, params)
            samples.append(time.perf_counter() - started)
            # A refused filter answers 200 with its error and no figures: not a measurement.
            refused = b'data-testid="dash-error"' in response.content
            statuses.add("refused" if refused else response.status_code)
    if statuses != {200}:
        return {
            "failed": f"the dashboard answered {sorted(map(str, statuses))}, not only 200",
            "url": url,
        }
    # The median of each filter set over the rounds: which reads are the slow ones.
    per_filter = [
        round(statistics.median(samples[i :: len(filters)]) * 1000, 1) for i in range(len(filters))
    ]
    return {**_percentiles(samples), "url": url, "filters": filters, "per_filter_ms": per_filter}


def _client(staff):
    """Django's test client signed in as `staff`, on a host the settings allow (dev settings
    do not list the client's "testserver"), with DEBUG off as in production (no query log, no
    debug pages)."""
    from django.conf import settings
    from django.test import Client

    settings.DEBUG = False

    if "testserver" not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(staff)
    return client


def profile_dashboard(year: int) -> str:
    """cProfile's top entries of the dashboard's usual read (a year across the province)."""
    from django.urls import reverse

    from hailong.organisation.models import Staff

    client = _client(Staff.objects.get(username="bench-leader"))
    url = reverse("analytics:dashboard")
    profile = cProfile.Profile()
    profile.enable()
    client.get(url, {"period": str(year)})
    profile.disable()
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(25)
    return out.getvalue()


# --- the raw scans ----------------------------------------------------------------------------


def _sipas_items() -> tuple[list[int], dict[int, str]]:
    from hailong.surveys.models import Item, QuestionnaireVersion

    versions = list(
        QuestionnaireVersion.objects.filter(questionnaire__code="sipas").values_list(
            "pk", flat=True
        )
    )
    codes = dict(Item.objects.filter(version_id__in=versions).values_list("pk", "code"))
    return versions, codes


def _document_from(counts: dict, year: int, responses: int) -> dict:
    """The indices document from raw {code: {value|None: count}}, by the same pure functions."""
    from hailong.analytics.dashboard import questionnaire_structure
    from hailong.analytics.indices import indices_json, sipas_indices

    structure = questionnaire_structure("sipas").elements
    result = sipas_indices(structure, counts)
    return indices_json(
        result, period=str(year), unit=None, questionnaire="sipas", responses=responses
    )


def _counts_from_rows(rows, codes: dict[int, str]) -> dict:
    counts: dict[str, dict] = {}
    for item_id, value, not_applicable, count in rows:
        code = codes[item_id]
        key = None if not_applicable else value
        if value is None and not not_applicable:
            continue  # free text and options without a value are no scale answers
        counts.setdefault(code, {})
        counts[code][key] = counts[code].get(key, 0) + int(count)
    return counts


def bench_sql_scan(year: int, runs: int, document: dict) -> dict:
    """A plain SQL GROUP BY over the raw answer and response tables (no rollups)."""
    from django.db import connection

    from hailong.surveys.models import Answer, Response

    versions, codes = _sipas_items()
    quote = connection.ops.quote_name
    answer, response = quote(Answer._meta.db_table), quote(Response._meta.db_table)
    marks = ", ".join(["%s"] * len(versions))
    sql = (
        "SELECT a.item_id, a.value, a.not_applicable, COUNT(*) "
        f"FROM {answer} a JOIN {response} r ON r.id = a.response_id "
        f"WHERE r.local_date >= %s AND r.local_date < %s AND r.version_id IN ({marks}) "
        "GROUP BY a.item_id, a.value, a.not_applicable"
    )
    responses_sql = (
        f"SELECT COUNT(*) FROM {response} r WHERE r.local_date >= %s AND r.local_date < %s "
        f"AND r.version_id IN ({marks})"
    )
    params = [date(year, 1, 1), date(year + 1, 1, 1), *versions]

    def scan():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
            cursor.execute(responses_sql, params)
            (responses,) = cursor.fetchone()
        return _document_from(_counts_from_rows(rows, codes), year, responses)

    samples, raw = _timed(scan, runs)
    assert raw == document, "the raw SQL scan and the rollups' document differ"
    return _percentiles(samples)


def bench_duckdb(year: int, runs: int, document: dict, folder: str) -> dict:
    """DuckDB over a Parquet file of the answers with their response's day and version (the
    issue's scan ceiling; the load is timed apart)."""
    import duckdb
    import pandas as pd
    from django.db import connection

    from hailong.surveys.models import Answer, Response

    versions, codes = _sipas_items()
    quote = connection.ops.quote_name
    answer, response = quote(Answer._meta.db_table), quote(Response._meta.db_table)
    started = time.perf_counter()
    frames = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.local_date, r.unit_id, r.version_id, a.item_id, a.value, a.not_applicable "
            f"FROM {answer} a JOIN {response} r ON r.id = a.response_id"
        )
        while rows := cursor.fetchmany(500_000):
            frames.append(
                pd.DataFrame(
                    rows,
                    columns=["local_date", "unit_id", "version_id", "item_id", "value", "na"],
                )
            )
    frame = pd.concat(frames, ignore_index=True)
    frame["local_date"] = pd.to_datetime(frame["local_date"]).dt.date
    frame["na"] = frame["na"].astype(bool)
    parquet = os.path.join(folder, "answers.parquet")
    db = duckdb.connect()
    db.register("frame", frame)
    db.execute(
        "COPY (SELECT local_date::DATE AS local_date, unit_id::INTEGER AS unit_id, "
        "version_id::INTEGER AS version_id, item_id::INTEGER AS item_id, "
        "value::INTEGER AS value, na FROM frame) TO ? (FORMAT parquet)",
        [parquet],
    )
    db.unregister("frame")
    rows_loaded = len(frame)
    del frame, frames
    loaded = time.perf_counter() - started
    marks = ", ".join(str(int(v)) for v in versions)
    first, end = date(year, 1, 1).isoformat(), date(year + 1, 1, 1).isoformat()
    where = (
        f"local_date >= DATE '{first}' AND local_date < DATE '{end}' AND version_id IN ({marks})"
    )

    def scan():
        rows = db.execute(
            f"SELECT item_id, value, na, COUNT(*) FROM read_parquet('{parquet}') "
            f"WHERE {where} GROUP BY ALL"
        ).fetchall()
        return rows

    # Responses per year are counted from the response table once (the scan reads answers).
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {response} WHERE local_date >= %s AND local_date < %s "
            f"AND version_id IN ({marks})",
            [date(year, 1, 1), date(year + 1, 1, 1)],
        )
        (responses,) = cursor.fetchone()
    samples, rows = _timed(scan, runs)
    assert _document_from(_counts_from_rows(rows, codes), year, responses) == document, (
        "the DuckDB scan and the rollups' document differ"
    )
    db.execute(f"CREATE TABLE answers AS SELECT * FROM read_parquet('{parquet}')")
    memory_samples, _rows = _timed(
        lambda: db.execute(
            f"SELECT item_id, value, na, COUNT(*) FROM answers WHERE {where} GROUP BY ALL"
        ).fetchall(),
        runs,
    )
    return {
        "parquet": _percentiles(samples),
        "in_memory": _percentiles(memory_samples),
        "load_seconds": round(loaded, 1),
        "rows": rows_loaded,
        "parquet_mb": round(os.path.getsize(parquet) / 1e6, 1),
        "threads": db.execute("SELECT current_setting('threads')").fetchone()[0],
    }


# --- submissions ------------------------------------------------------------------------------


def bench_submissions(n: int) -> dict:
    """responses_store of n SIPAS submissions (store_throughput's) with the rollup hook and
    without it, alternately in halves, so the machine's noise falls on both."""
    from django.conf import settings

    from bench.store_throughput import _store

    # store_throughput's submissions (its units and campaign are made once), the last 1,000
    # for the profile.
    # Keys of this run's own: on a database kept from an earlier run, the same keys would be
    # replays of stored responses, not submissions.
    submissions = _submissions_tagged(n + 1000, f"analytics-bench-{time.time_ns():x}")
    profiled = submissions[n:]
    with_hook = list(settings.HAILONG_RESPONSE_HOOKS)
    without = [h for h in with_hook if h != ROLLUP_HOOK]
    assert ROLLUP_HOOK in with_hook, with_hook
    quarter = n // 4
    seconds = {"with": 0.0, "without": 0.0}
    for part in range(4):
        hooks = with_hook if part % 2 == 0 else without
        settings.HAILONG_RESPONSE_HOOKS = hooks
        chunk = submissions[part * quarter : (part + 1) * quarter]
        started = time.perf_counter()
        stored = _store(chunk, 1000)
        seconds["with" if part % 2 == 0 else "without"] += time.perf_counter() - started
        assert stored == len(chunk), (stored, len(chunk))
    settings.HAILONG_RESPONSE_HOOKS = with_hook
    profile = cProfile.Profile()
    profile.enable()
    _store(profiled, 1000)
    profile.disable()
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(15)
    half = 2 * quarter
    rate_with, rate_without = half / seconds["with"], half / seconds["without"]
    return {
        "responses": 2 * half,
        "with_hooks_per_s": round(rate_with),
        "without_rollup_hook_per_s": round(rate_without),
        "hook_cost_percent": round(100 * (1 - rate_with / rate_without), 1),
        "profile_1000_with_hooks": out.getvalue(),
    }


def _submissions_tagged(n: int, tag: str):
    from bench.store_throughput import _submissions

    submissions = _submissions(n)
    for i, submission in enumerate(submissions):
        submission.idempotency_key = f"{tag}:{i}"
    return submissions


# --- one size ---------------------------------------------------------------------------------


def _versions() -> dict:
    import sqlite3

    import django
    from django.db import connection

    versions = {
        "python": platform.python_version(),
        "django": django.get_version(),
        "sqlite": sqlite3.sqlite_version,
        "nproc": os.cpu_count(),
        "ram_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
    }
    try:
        import duckdb

        versions["duckdb"] = duckdb.__version__
    except ImportError:
        versions["duckdb"] = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            versions["postgresql"] = cursor.fetchone()[0]
    return versions


def run_size(args, size: int) -> dict:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from hailong.analytics.rollups import TABLES
    from hailong.surveys.models import Answer, Response

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    year = _year(today)
    if args.existing:
        # A database generated earlier (and migrated just now): no generation figures.
        size = Response.objects.count()
        generation = {"existing": True, "migrate_seconds": round(time.perf_counter() - started)}
    else:
        started = time.perf_counter()
        generate = ["generate_data", "--responses", str(size), "--seed", "12"]
        if args.no_hooks:
            generate.append("--no-hooks")
        call_command(*generate, stdout=sys.stdout)
        generated = time.perf_counter() - started
        generation = {
            "seconds": round(generated, 1),
            "responses_per_s": round(size / generated),
            "hooks": not args.no_hooks,
        }
    # The planner's statistics, as a database in service has them (PostgreSQL's autovacuum
    # analyses a table some minutes after a large load; without them it chose plans that took
    # 35 s for one dashboard read at 100,000). Not timed with the generation.
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    generation["analyze_seconds"] = round(time.perf_counter() - started, 1)
    answers = Answer.objects.count()
    if "seconds" in generation:
        generation["answers_per_s"] = round(answers / generation["seconds"])
    result = {
        "database": connection.vendor,
        "responses": size,
        "answers": answers,
        "generation": generation,
        "rollup_rows": {t.model.__name__: t.model.objects.count() for t in TABLES},
        "year": year,
    }
    indices = bench_indices(year, args.runs)
    document = indices.pop("_document")
    result["indices"] = indices
    print(f"  indices {year}: {indices['document']} (command {indices['command']})", flush=True)
    result["dashboard"] = bench_dashboard(year, args.rounds)
    print(f"  dashboard: {result['dashboard']}", flush=True)
    result["sql_scan"] = bench_sql_scan(year, args.scan_runs, document)
    print(f"  raw SQL GROUP BY: {result['sql_scan']}", flush=True)
    try:
        with tempfile.TemporaryDirectory(prefix="hl-duck-") as folder:
            result["duckdb"] = bench_duckdb(year, args.scan_runs, document, folder)
    except ImportError:
        result["duckdb"] = {"skipped": "duckdb is not installed (make install-test)"}
    print(f"  DuckDB: {result['duckdb']}", flush=True)
    result["submissions"] = bench_submissions(args.submissions)
    shown = {k: v for k, v in result["submissions"].items() if not k.startswith("profile")}
    print(f"  submissions: {shown}", flush=True)
    dashboard = result["dashboard"]
    if "p95_ms" in dashboard and (
        dashboard["p95_ms"] > 150
        or (
            "parquet" in result["duckdb"]
            and dashboard["p95_ms"] > result["duckdb"]["parquet"]["p95_ms"]
        )
    ):
        result["dashboard_profile"] = profile_dashboard(year)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--runs", type=int, default=20, help="runs of each rollup read")
    parser.add_argument("--scan-runs", type=int, default=5, help="runs of each raw scan")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the 10 dashboard filters")
    parser.add_argument("--submissions", type=int, default=4000)
    parser.add_argument("--no-hooks", action="store_true", help="generate without the hooks")
    parser.add_argument(
        "--existing",
        action="store_true",
        help="measure the database of DATABASE_URL / HAILONG_VAR_DIR as it is (generated "
        "earlier, migrated now) instead of a throwaway one",
    )
    args = parser.parse_args()
    handle = None if args.existing else _setup(args.database)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    sys.path.insert(0, os.getcwd())
    import django

    django.setup()
    try:
        size = "the existing database" if args.existing else f"{args.responses:,} responses"
        print(f"{args.database}, {size}:", flush=True)
        versions = _versions()
        run = run_size(args, args.responses)
    finally:
        if handle is not None:
            _teardown(args.database, handle)
    # One file per day and database; a run replaces the earlier run of its size and mode.
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{date.today():%Y-%m-%d}-{args.database}.json"
    earlier = json.loads(path.read_text())["runs"] if path.exists() else []

    def mode(r):
        return "existing" if r["generation"].get("existing") else r["generation"]["hooks"]

    runs = [r for r in earlier if (r["responses"], mode(r)) != (run["responses"], mode(run))]
    runs = [*runs, run]
    runs.sort(key=lambda r: (r["responses"], str(mode(r))))
    path.write_text(json.dumps({"machine": versions, "runs": runs}, indent=2, ensure_ascii=False))
    print(f"Results: {path}")


if __name__ == "__main__":
    main()
