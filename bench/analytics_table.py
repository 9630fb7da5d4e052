"""The Markdown table of docs/benchmarks.md from bench/results/*.json (analytics_bench.py).

.venv/bin/python -m bench.analytics_table [--design=score|tally] bench/results/*.json
"""

from __future__ import annotations

import json
import sys


def _ms(figure: dict | None) -> str:
    if not figure or "p50_ms" not in figure:
        return "—"
    return f"{figure['p50_ms']:,.1f} / {figure['p95_ms']:,.1f}"


def _generation(generation: dict) -> str:
    if generation.get("existing"):
        return "earlier (database kept)"
    return (
        f"{generation['seconds']:,.0f} s = {generation['responses_per_s']:,}/s"
        f" ({'hooks' if generation['hooks'] else 'no hooks + rebuild'})"
    )


def rows(path: str, *, design: str = "") -> list[str]:
    """The table's rows of one results file; `design` "score" or "tally": only the runs made
    with the score tables (ScoreMonth…) or before them (AnswerMonthUnit)."""
    data = json.loads(open(path, encoding="utf-8").read())  # noqa: SIM115
    machine = data["machine"]
    out = []
    for run in data["runs"]:
        scored = "ScoreMonth" in run["rollup_rows"]
        if (design == "score" and not scored) or (design == "tally" and scored):
            continue
        database = run["database"]
        version = (
            machine.get("postgresql", "").split(" ")[0]
            if database == "postgresql"
            else machine["sqlite"]
        )
        generation = run["generation"]
        duck = run.get("duckdb", {})
        dashboard = run.get("dashboard", {})
        submissions = run["submissions"]
        rollup_p95 = run["indices"]["document"]["p95_ms"]
        scan = duck.get("parquet", {}).get("p95_ms")
        out.append(
            "| "
            + " | ".join(
                [
                    f"{database} {version}",
                    f"{run['responses']:,} ({run['answers']:,} answers)",
                    _generation(generation),
                    " / ".join(
                        f"{run['rollup_rows'][name]:,}"
                        for name in ("ScoreMonth", "AnswerDay")
                        if name in run["rollup_rows"]
                    )
                    or "{:,} / {:,}".format(
                        run["rollup_rows"]["AnswerMonthUnit"], run["rollup_rows"]["AnswerDay"]
                    ),
                    _ms(run["indices"]["document"]),
                    _ms(run["indices"]["command"]),
                    _ms(dashboard)
                    if "p50_ms" in dashboard
                    else ("failed" if "failed" in dashboard else "not built yet"),
                    _ms(run["sql_scan"]),
                    _ms(duck.get("parquet")),
                    _ms(duck.get("in_memory")),
                    f"{scan / rollup_p95:.2f}" if scan else "—",
                    "{:,} / {:,} ({:.0f} %)".format(
                        submissions["with_hooks_per_s"],
                        submissions["without_rollup_hook_per_s"],
                        submissions["hook_cost_percent"],
                    ),
                ]
            )
            + " |"
        )
    return out


HEADER = (
    "| database | responses | generation | rollup rows (ScoreMonth / AnswerDay) "
    "| indices document p50 / p95 ms | `manage.py indices` p50 / p95 ms | dashboard p50 / p95 ms "
    "| raw SQL GROUP BY p50 / p95 ms | DuckDB Parquet p50 / p95 ms | DuckDB in memory p50 / p95 ms "
    "| DuckDB p95 ÷ rollups p95 | submissions/s with / without the rollup hook (cost) |\n"
    "|" + "---|" * 12
)


def main() -> None:
    args = sys.argv[1:]
    design = ""
    if args and args[0].startswith("--design="):
        design = args.pop(0).split("=", 1)[1]
    print(HEADER)
    for path in args:
        print("\n".join(rows(path, design=design)))


if __name__ == "__main__":
    main()
