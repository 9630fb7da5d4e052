"""manage.py generate_data --responses N [--seed S] [--no-hooks]: realistic survey data in bulk
(hailong.analytics.data_generator), for benchmarks and for trying the dashboard at scale.

With --no-hooks the responses are stored without the write path's hooks and the rollups are
rebuilt once at the end (for the largest benchmark sizes; see bulk_load's docstring)."""

from __future__ import annotations

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from hailong.analytics.data_generator import generate_data
from hailong.analytics.rollups import data_range, rollups_rebuild


class Command(BaseCommand):
    help = "Add N generated survey responses (3 years, every channel) with dossiers and cases."

    def add_arguments(self, parser):
        parser.add_argument("--responses", type=int, required=True)
        parser.add_argument("--seed", type=int, default=12)
        parser.add_argument("--chunk", type=int, default=5000)
        parser.add_argument(
            "--no-hooks",
            action="store_true",
            help="Store without the hooks, then rebuild the rollups once.",
        )
        parser.add_argument(
            "--today", help="The day the three years end (YYYY-MM-DD); default: today."
        )

    def handle(self, *args, responses, seed, chunk, no_hooks, today=None, **options):
        if responses < 1:
            raise CommandError("--responses must be at least 1.")
        try:
            day = date.fromisoformat(today) if today else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"--today: {exc}") from exc
        started = time.perf_counter()
        step = max(chunk, responses // 20)

        def progress(done: int) -> None:
            if done % step < chunk or done == responses:
                rate = done / (time.perf_counter() - started)
                self.stdout.write(f"  {done:,} / {responses:,} responses ({rate:,.0f}/s)")

        result = generate_data(
            responses=responses,
            seed=seed,
            today=day,
            hooks=not no_hooks,
            chunk=chunk,
            progress=progress,
        )
        rebuilt = 0.0
        if no_hooks:
            begun = time.perf_counter()
            first_day, end_day = data_range()
            rollups_rebuild(first_day, end_day)
            rebuilt = time.perf_counter() - begun
            self.stdout.write(f"  rollups rebuilt in {rebuilt:.1f} s")
        seconds = time.perf_counter() - started
        how = "hooks off, rollups rebuilt after" if no_hooks else "rollups kept by the hooks"
        self.stdout.write(
            f"Generated {result.responses:,} responses ({result.answers:,} answer rows) in"
            f" {result.seconds:.1f} s: {result.responses / result.seconds:,.0f} responses/s,"
            f" {result.answers / result.seconds:,.0f} answer rows/s ({how}); then"
            f" {result.dossiers:,} dossiers, {result.cases:,} cases; {seconds:.1f} s in all."
        )
