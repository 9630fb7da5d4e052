"""Recount the rollups from the raw answers, or (--check) say where they differ.

    manage.py rollups_rebuild                      everything
    manage.py rollups_rebuild --period "Quý IV/2026"
    manage.py rollups_rebuild --period 01/10/2026-15/10/2026 --check

The days of the period are recounted in the daily table; the monthly tables are recounted by
whole months, so a month only partly inside the period is recounted whole there (the output
says which). The dossiers' stored facts for the dashboard (returned_on, time_points, has_pakn,
unsatisfied_responses: hailong.analytics.dossier_facts) are recomputed too, for the whole
register whatever the period (they do not depend on it). --check writes nothing, prints every
difference (table, key, stored, recounted; dossier, column, stored, recomputed) and exits with
status 1 when there is any."""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hailong.analytics.dossier_facts import dossier_fact_differences, dossier_facts_rebuild
from hailong.analytics.models import GRAIN_MONTH, GRAIN_QUARTER
from hailong.analytics.rollups import (
    TABLES,
    Span,
    chunks,
    data_range,
    rollup_differences,
    rollups_rebuild,
    spans,
)
from hailong.core.periods import PeriodKind, PeriodParseError, parse_period


def _day(day) -> str:
    return day.strftime("%d/%m/%Y")


def _span_label(span: Span) -> str:
    if span.grain == GRAIN_QUARTER:
        return f"Q{(span.start.month - 1) // 3 + 1}/{span.start.year}"
    return str(span.start.year)


class Command(BaseCommand):
    help = "Recount the rollups (counts of answers) from the raw answers, or check them."

    def add_arguments(self, parser):
        parser.add_argument(
            "--period",
            help="A month, quarter, year or range of days, e.g. 2026, Quý 4/2026, 10/2026, "
            "01/10/2026-15/10/2026. Default: everything.",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing: print every difference between the rollups and a recount.",
        )

    def handle(self, *args, period=None, check=False, **options):
        if period is not None:
            try:
                chosen = parse_period(period)
            except PeriodParseError as exc:
                raise CommandError(str(exc)) from exc
            first_day, end_day = chosen.first_day, chosen.end_day
            dates = {"first": _day(first_day), "last": _day(chosen.last_day)}
            if chosen.kind == PeriodKind.CUSTOM:
                self.stdout.write(_("Period from %(first)s to %(last)s.") % dates)
            else:
                self.stdout.write(
                    _("Period %(period)s: %(first)s to %(last)s.")
                    % {"period": chosen.label, **dates}
                )
        else:
            found = data_range()
            if found is None:
                self.stdout.write(_("No responses and no rollups: nothing to recount."))
                if check:
                    self._summary(self._dossier_check())
                else:
                    self._dossier_rebuild()
                return
            first_day, end_day = found
            self.stdout.write(
                _("All data: %(first)s to %(last)s.")
                % {"first": _day(first_day), "last": _day(end_day - timedelta(days=1))}
            )
        partial = [c.month for c in chunks(first_day, end_day) if c.partial]
        if partial:
            self.stdout.write(
                _(
                    "Months only partly inside the period are recounted whole in the monthly "
                    "tables: %(months)s."
                )
                % {"months": ", ".join(f"{m:%m/%Y}" for m in partial)}
            )
        partly = [
            s
            for s in spans(first_day, end_day)
            if s.grain != GRAIN_MONTH and (s.start < first_day or s.end > end_day)
        ]
        if partly and period is not None:
            self.stdout.write(
                _(
                    "Quarters and years only partly inside the period are taken whole in the "
                    "period tables: %(periods)s."
                )
                % {"periods": ", ".join(_span_label(s) for s in partly)}
            )
        if check:
            self._check(first_day, end_day)
        else:
            written = rollups_rebuild(first_day, end_day)
            for table in TABLES:
                self.stdout.write(
                    _("%(table)s: %(rows)d rows recounted.")
                    % {"table": table.model.__name__, "rows": written[table.model.__name__]}
                )
            self._dossier_rebuild()
            self.stdout.write(self.style.SUCCESS(_("Rollups recounted.")))

    def _check(self, first_day, end_day) -> None:
        found = 0
        for difference in rollup_differences(first_day, end_day):
            found += 1
            key = " ".join(f"{name}={value}" for name, value in difference.key.items())
            self.stdout.write(
                _("%(table)s %(key)s: stored %(stored)d, recounted %(recounted)d")
                % {
                    "table": difference.table,
                    "key": key,
                    "stored": difference.stored,
                    "recounted": difference.recounted,
                }
            )
        self._summary(found + self._dossier_check())

    def _summary(self, found: int) -> None:
        summary = ngettext("%(n)d difference.", "%(n)d differences.", found) % {"n": found}
        if found:
            raise CommandError(summary, returncode=1)
        self.stdout.write(self.style.SUCCESS(summary))

    def _dossier_rebuild(self) -> None:
        corrected = dossier_facts_rebuild()
        self.stdout.write(
            ngettext(
                "Dossiers: %(n)d dossier's stored facts corrected.",
                "Dossiers: %(n)d dossiers' stored facts corrected.",
                corrected,
            )
            % {"n": corrected}
        )

    def _dossier_check(self) -> int:
        found = 0
        for difference in dossier_fact_differences():
            found += 1
            self.stdout.write(
                _(
                    "Dossier %(code)s (id %(id)d) %(column)s: stored %(stored)s, "
                    "recomputed %(recomputed)s"
                )
                % {
                    "code": difference.code,
                    "id": difference.dossier_id,
                    "column": difference.column,
                    "stored": difference.stored,
                    "recomputed": difference.recomputed,
                }
            )
        return found
