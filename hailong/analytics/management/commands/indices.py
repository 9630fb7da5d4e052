"""manage.py indices --period P [--unit CODE] [--questionnaire sipas] [--json]: the satisfaction
indices of a period across the whole organisation or a unit's subtree, from the rollups, in the
same JSON shape as GET /api/v1/indices (hailong.analytics.documents)."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from hailong.analytics.documents import (
    DEFAULT_QUESTIONNAIRE,
    NotAnIndexQuestionnaire,
    indices_document,
)
from hailong.analytics.selectors import Slice
from hailong.core.periods import PeriodParseError, parse_period
from hailong.organisation.models import Unit
from hailong.organisation.scope import Scope


def _decimal(number: float) -> str:
    """Two decimals the way the active language writes them (84,45 in Vietnamese)."""
    return number_format(number, decimal_pos=2, use_l10n=True)


class Command(BaseCommand):
    help = "Satisfaction indices of a period (SIPAS-style questionnaires), from the rollups."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="2026, Quý 1/2026, 2026-Q1, 10/2026…")
        parser.add_argument("--unit", help="a unit's code: that unit and every unit below it")
        parser.add_argument("--questionnaire", default=DEFAULT_QUESTIONNAIRE)
        parser.add_argument("--json", action="store_true", help="the API's JSON document")

    def handle(self, *args, **options):
        with translation.override("vi"):
            try:
                period = parse_period(options["period"])
            except PeriodParseError as exc:
                raise CommandError(str(exc)) from exc
            unit = None
            if options["unit"]:
                unit = Unit.objects.filter(code=options["unit"]).first()
                if unit is None:
                    raise CommandError(
                        _("No unit has the code “%(code)s”.") % {"code": options["unit"]}
                    )
            slice_ = Slice(
                period=period,
                scope=Scope(everything=True),
                unit=unit,
                questionnaire=options["questionnaire"],
            )
            try:
                document = indices_document(slice_, unit_code=unit.code if unit else None)
            except NotAnIndexQuestionnaire as exc:
                raise CommandError(str(exc)) from exc
            if options["json"]:
                self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
                return
            self.stdout.write(self._table(document))

    def _table(self, document: dict) -> str:
        lines = [
            _("Period %(period)s, %(where)s, questionnaire %(q)s: %(n)s responses")
            % {
                "period": document["period"],
                "where": document["unit"] or _("all units"),
                "q": document["questionnaire"],
                "n": document.get("responses", 0),
            }
        ]
        for key, figure in document.items():
            if not isinstance(figure, dict):
                continue
            if figure["index"] is None:
                value = _("no answers")
            else:
                low, high = _decimal(figure["ci_low"]), _decimal(figure["ci_high"])
                value = f"{_decimal(figure['index'])}% ({low}–{high})"
                if not figure["sufficient"]:
                    value += " " + _("insufficient sample")
            lines.append(f"  {key:<10} n={figure['n']:<8} {value}")
        return "\n".join(lines)
