"""manage.py generate_data --responses N [--seed S] [--no-hooks]: realistic survey data in bulk
(hailong.analytics.data_generator), for benchmarks and for trying the dashboard at scale.

With --no-hooks the responses are stored without the write path's hooks and the rollups are
rebuilt once at the end (for the largest benchmark sizes; see bulk_load's docstring)."""

from __future__ import annotations

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hailong.analytics.data_generator import generate_data
from hailong.analytics.dossier_facts import dossier_facts_rebuild
from hailong.analytics.rollups import data_range, rollups_rebuild
from hailong.core.tabular import grouped


def _seconds(seconds: float) -> str:
    """A duration to a tenth of a second the way the language writes it (12,3 in Vietnamese)."""
    return number_format(seconds, decimal_pos=1, use_l10n=True)


def _rate(count: int, seconds: float) -> str:
    return grouped(round(count / seconds)) if seconds > 0 else "–"


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
            raise CommandError(_("--responses must be at least 1."))
        try:
            day = date.fromisoformat(today) if today else timezone.localdate()
        except ValueError as exc:
            raise CommandError(_("--today must be a day written YYYY-MM-DD.")) from exc
        started = time.perf_counter()
        step = max(chunk, responses // 20)

        def progress(done: int) -> None:
            if done % step < chunk or done == responses:
                line = ngettext(
                    "%(done)s / %(total)s response (%(rate)s/s)",
                    "%(done)s / %(total)s responses (%(rate)s/s)",
                    responses,
                ) % {
                    "done": grouped(done),
                    "total": grouped(responses),
                    "rate": _rate(done, time.perf_counter() - started),
                }
                self.stdout.write(f"  {line}")

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
            dossier_facts_rebuild()  # the dossiers' counts of unsatisfied responses
            rebuilt = time.perf_counter() - begun
            line = _("rollups rebuilt in %(seconds)s s") % {"seconds": _seconds(rebuilt)}
            self.stdout.write(f"  {line}")
        seconds = time.perf_counter() - started
        how = _("hooks off, rollups rebuilt after") if no_hooks else _("rollups kept by the hooks")
        self.stdout.write(
            ngettext(
                "Generated %(responses)s response (%(answers)s answer rows) in %(seconds)s s: "
                "%(rate)s responses/s, %(answer_rate)s answer rows/s (%(how)s).",
                "Generated %(responses)s responses (%(answers)s answer rows) in %(seconds)s s: "
                "%(rate)s responses/s, %(answer_rate)s answer rows/s (%(how)s).",
                result.responses,
            )
            % {
                "responses": grouped(result.responses),
                "answers": grouped(result.answers),
                "seconds": _seconds(result.seconds),
                "rate": _rate(result.responses, result.seconds),
                "answer_rate": _rate(result.answers, result.seconds),
                "how": how,
            }
        )
        self.stdout.write(
            _("Then dossiers: %(dossiers)s, cases: %(cases)s; %(seconds)s s in all.")
            % {
                "dossiers": grouped(result.dossiers),
                "cases": grouped(result.cases),
                "seconds": _seconds(seconds),
            }
        )
