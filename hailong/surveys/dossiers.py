"""The dossier register: dossiers from the one-stop-shop software (file or API), their link to
responses by dossier code, response rates and the TT 01/2018 time index."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Avg, Case, Count, FloatField, Q, When
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hailong.core.audit import audit_record
from hailong.core.imports import RowRejected, TableImporter, table_importer
from hailong.core.moments import moment_refusal
from hailong.core.periods import LOCAL_TZ, Period
from hailong.core.tabular import Problem, Row, TableError
from hailong.core.text import normalize_text
from hailong.organisation.models import Service, Staff, Unit
from hailong.organisation.permissions import RoleGated
from hailong.organisation.scope import Scope, scope_of
from hailong.organisation.selectors import tree_walk, units_visible_to
from hailong.surveys.file_import import parse_moment
from hailong.surveys.models import Dossier, DossierChannel
from hailong.surveys.permissions import IMPORT_RESPONSES
from hailong.surveys.services.responses import responses_link_dossiers

# How far back a dossier may have been received: the one-stop-shop registers (NĐ 61/2018) send
# what they hold, and a dossier still being handled or re-sent after five years is none of
# theirs. A due date lies at most as far after receipt (the longest legal time limits are
# months); nothing is received or returned in the future beyond the clock skew.
DOSSIER_OLDEST = timedelta(days=5 * 365)
DOSSIER_LONGEST = timedelta(days=5 * 365)


class DossierRejected(ValueError):
    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass
class DossierInput:
    code: str
    unit: str
    received_at: str
    service: str = ""
    due_at: str = ""
    returned_at: str = ""
    channel: str = ""


def dossier_clean(data: DossierInput, *, allowed_units) -> dict:
    """Check one dossier; the values to store, or DossierRejected with a reason per field."""
    return _dossier_values(
        data,
        unit_of=lambda code: allowed_units.filter(code=code, is_active=True).first(),
        service_of=lambda code: Service.objects.filter(code=code).first(),
    )


def _dossier_values(data: DossierInput, *, unit_of, service_of) -> dict:
    errors, values = {}, {}
    code = normalize_text(data.code).upper()
    if not code:
        errors["code"] = _("the dossier code is missing")
    values["code"] = code[:60]
    unit = unit_of(normalize_text(data.unit).upper())
    if unit is None:
        errors["unit"] = _("unit “%(code)s” is unknown or outside your scope") % {
            "code": data.unit[:40]
        }
    values["unit"] = unit
    values["service"] = None
    if normalize_text(data.service):
        values["service"] = service_of(normalize_text(data.service))
        if values["service"] is None:
            errors["service"] = _("procedure “%(code)s” is not in the catalogue") % {
                "code": data.service[:40]
            }
    for name in ("received_at", "due_at", "returned_at"):
        raw = normalize_text(getattr(data, name))
        moment = parse_moment(raw) if raw else None
        if raw and moment is None:
            errors[name] = _("“%(value)s” is not a date (use 31/03/2026 08:30 or 2026-03-31)") % {
                "value": raw[:40]
            }
        values[name] = moment
    if values["received_at"] is None and "received_at" not in errors:
        errors["received_at"] = _("the date received is missing")
    errors |= _implausible_dates(values, errors)
    channel = normalize_text(data.channel).lower() or DossierChannel.IN_PERSON
    if channel not in DossierChannel.values:
        errors["channel"] = _("channel “%(value)s” is not one of %(choices)s") % {
            "value": data.channel[:40],
            "choices": ", ".join(DossierChannel.values),
        }
    values["channel"] = channel
    if errors:
        raise DossierRejected(errors)
    return values


def _implausible_dates(values: dict, errors: dict) -> dict[str, str]:
    """The dates no dossier can have: received too long ago or in the future, due or returned
    before the day it was received (days in Vietnam time), due absurdly late, returned in the
    future. Comparisons come before any arithmetic on a given date, so year 1 or 9999 is a
    refusal, never an overflow."""
    found: dict[str, str] = {}
    received = values["received_at"]
    if received is None or "received_at" in errors:
        return found
    refusal = moment_refusal(received, oldest=DOSSIER_OLDEST)
    if refusal:
        return {"received_at": refusal}
    received_day = received.astimezone(LOCAL_TZ).date()

    def before_receipt(moment) -> bool:
        return moment < received - timedelta(days=1) or (
            moment.astimezone(LOCAL_TZ).date() < received_day
        )

    due, returned = values["due_at"], values["returned_at"]
    if due is not None and "due_at" not in errors:
        if due > received + DOSSIER_LONGEST:
            found["due_at"] = _("the due date is more than five years after receipt")
        elif before_receipt(due):
            found["due_at"] = _("the due date is before the day the dossier was received")
    if returned is not None and "returned_at" not in errors:
        refusal = moment_refusal(returned, oldest=DOSSIER_OLDEST)
        if refusal:
            found["returned_at"] = refusal
        elif before_receipt(returned):
            found["returned_at"] = _("the return date is before the day the dossier was received")
    return found


def dossier_pick(candidates, unit: Unit) -> Dossier | None:
    """Which of the dossiers with one code, all of them in the writer's scope, a sending means
    for `unit`: the one registered there; else the only one (it moved between units of the
    scope, e.g. transferred to another department); else none, and a new one is registered.

    A dossier code names a dossier within the units of whoever registered it, never across
    the register (`Dossier`'s key is unit and code): a code another unit holds, guessed or
    mistyped, is neither taken over, nor refused (which would tell the sender that it exists),
    nor squatted (registering it first blocks nobody)."""
    candidates = list(candidates)
    here = next((d for d in candidates if d.unit_id == unit.pk), None)
    if here is not None:
        return here
    return candidates[0] if len(candidates) == 1 else None


@transaction.atomic
def dossier_upsert(
    *, values: dict, scope: Scope, actor: Staff | None = None
) -> tuple[Dossier, bool]:
    """Create or update a dossier by code (the one-stop-shop software sends it again when its
    state changes) and link the responses already given with its code. Only dossiers of units
    `scope` sees (the caller's: a key's units, a person's) are looked at (`dossier_pick`); the
    unit sent was checked against the same scope by `dossier_clean`."""
    code, unit = values["code"], values["unit"]
    # A field left out of an update keeps its value (a system may send only what changed).
    fields = {k: v for k, v in values.items() if k != "code" and v is not None}
    mine = (
        Dossier.objects.select_for_update(of=("self",))
        .filter(scope.unit_filter("unit"), code=code)
        .order_by("pk")
    )
    dossier = dossier_pick(mine, unit)
    if dossier is not None:
        dossier, created = Dossier.objects.update_or_create(pk=dossier.pk, defaults=fields)
    else:
        # Unit and code: two copies of one sending racing find each other here.
        dossier, created = Dossier.objects.update_or_create(unit=unit, code=code, defaults=fields)
    # Links the responses given with the code and tells the dossier hooks of the dossier (the
    # dashboard's stored facts: its PAKN cases, its responses rated unsatisfied).
    responses_link_dossiers(codes=[code])
    if actor is not None:
        audit_record(
            actor=actor, action="dossier.create" if created else "dossier.update", target=dossier
        )
    return dossier, created


COLUMNS = {
    "code": {"code", "ma_ho_so", "dossier_code", "so_ho_so"},
    "unit": {"unit", "don_vi", "ma_don_vi"},
    "service": {"service", "ma_thu_tuc", "ma_tthc", "thu_tuc"},
    "received_at": {"received_at", "ngay_tiep_nhan", "ngay_nhan"},
    "due_at": {"due_at", "ngay_hen_tra", "han_tra"},
    "returned_at": {"returned_at", "ngay_tra_ket_qua", "ngay_tra"},
    "channel": {"channel", "kenh", "hinh_thuc"},
}


def _reasons() -> dict[str, str]:
    return {
        "code": _("dossier code missing"),
        "unit": _("unit unknown or outside your scope"),
        "service": _("procedure not in the catalogue"),
        "received_at": _("date received missing, not readable or not plausible"),
        "due_at": _("due date not readable or not plausible"),
        "returned_at": _("return date not readable or not plausible"),
        "channel": _("unknown channel"),
    }


@table_importer
class DossiersTable(RoleGated, TableImporter):
    """A dossier file from the one-stop-shop software: good rows create or update dossiers by
    code (a field left empty keeps its value), in one transaction, a few queries per chunk."""

    kind = "dossiers"
    roles = IMPORT_RESPONSES

    title = gettext_lazy("Import dossiers")
    back_url = "surveys:dossier_register"
    audit_action = "dossier.import"
    FIELDS = ("service", "unit", "channel", "received_at", "due_at", "returned_at")

    def __init__(self, *, actor, upload=None):
        super().__init__(actor=actor, upload=upload)
        allowed = units_visible_to(actor) if actor is not None else Unit.objects.all()
        self.units = {u.code.upper(): u for u in allowed.filter(is_active=True)}
        # A command run by nobody (the shell) writes about every unit.
        self.scope = scope_of(actor) if actor is not None else Scope(everything=True)
        self.services = {s.code: s for s in Service.objects.all()}
        self.mapping: dict[str, str | None] = {}
        self.created = self.updated = 0

    def columns(self, keys: list[str]) -> None:
        self.mapping = {
            name: next((k for k in keys if k in aliases), None) for name, aliases in COLUMNS.items()
        }
        missing = [name for name in ("code", "unit", "received_at") if self.mapping[name] is None]
        if missing:
            raise TableError(_("Missing column(s): %(columns)s.") % {"columns": ", ".join(missing)})

    def empty_message(self) -> str:
        return _("The file has a header row but no dossiers.")

    def check_row(self, row: Row) -> dict:
        fields = {name: row.get(key) if key else "" for name, key in self.mapping.items()}
        try:
            values = _dossier_values(
                DossierInput(**fields), unit_of=self.units.get, service_of=self.services.get
            )
        except DossierRejected as rejected:
            reasons = _reasons()
            raise RowRejected(
                [Problem(reasons[name], text) for name, text in rejected.errors.items()]
            ) from None
        return values

    def store(self, items: list[dict]) -> None:
        codes = {values["code"] for values in items}
        # The scope's dossiers with these codes, and those this chunk adds (a code sent twice).
        known: dict[str, list[Dossier]] = {}
        for dossier in Dossier.objects.filter(self.scope.unit_filter("unit"), code__in=codes):
            known.setdefault(dossier.code, []).append(dossier)
        changed: dict[int, Dossier] = {}
        new: list[Dossier] = []
        now = timezone.now()
        for values in items:
            code = values["code"]
            fields = {k: v for k, v in values.items() if k != "code" and v is not None}
            dossier = dossier_pick(known.get(code, ()), values["unit"])
            if dossier is None:
                dossier = Dossier(code=code, **fields)
                known.setdefault(code, []).append(dossier)
                new.append(dossier)
                self.created += 1
                continue
            for name, value in fields.items():
                setattr(dossier, name, value)
            dossier.updated_at = now
            if dossier.pk is not None:
                changed[dossier.pk] = dossier
            self.updated += 1
        for dossier in [*new, *changed.values()]:
            dossier.dates_fill()  # bulk writes skip Dossier.save
        Dossier.objects.bulk_create(new)
        if changed:
            Dossier.objects.bulk_update(
                changed.values(), [*self.FIELDS, *Dossier.DATE_FACTS, "updated_at"]
            )
        # Links the responses given with these codes and tells the dossier hooks of the
        # dossiers (the dashboard's stored facts).
        responses_link_dossiers(codes=codes)

    def summary(self) -> dict:
        return {"created": self.created, "updated": self.updated}

    def done_message(self, result: dict) -> str:
        return _("%(created)d dossiers added, %(updated)d updated.") % {
            "created": result.get("created", 0),
            "updated": result.get("updated", 0),
        }


@dataclass
class RateRow:
    unit: Unit
    dossiers: int
    answered: int
    time_index: float | None  # mean TT 01 index 1 score (0–2) of the returned dossiers

    @property
    def rate(self) -> float | None:
        return round(100 * self.answered / self.dossiers, 1) if self.dossiers else None


@dataclass
class ServiceRateRow:
    service: Service
    dossiers: int
    answered: int

    @property
    def rate(self) -> float | None:
        return round(100 * self.answered / self.dossiers, 1) if self.dossiers else None


def response_rates_by_service(staff: Staff, period: Period) -> list[ServiceRateRow]:
    """Per procedure: dossiers returned in the period and how many have a response."""
    counts = (
        Dossier.objects.filter(
            unit__in=units_visible_to(staff),
            returned_at__gte=period.start,
            returned_at__lt=period.end,
            service__isnull=False,
        )
        .values("service")
        .annotate(
            total=Count("pk", distinct=True),
            answered=Count("pk", filter=Q(responses__isnull=False), distinct=True),
        )
        .order_by("-total")
    )
    services = Service.objects.in_bulk([row["service"] for row in counts])
    return [
        ServiceRateRow(services[row["service"]], row["total"], row["answered"]) for row in counts
    ]


def response_rates(staff: Staff, period: Period) -> list[RateRow]:
    """Per unit: dossiers returned in the period, how many have a response, and the TT 01/2018
    time index from their dates (counted by the database, scores averaged per unit)."""
    dossiers = Dossier.objects.filter(
        unit__in=units_visible_to(staff), returned_at__gte=period.start, returned_at__lt=period.end
    )
    counts = dossiers.values("unit").annotate(
        total=Count("pk", distinct=True),
        answered=Count("pk", filter=Q(responses__isnull=False), distinct=True),
    )
    # TT 01/2018 index 1 per dossier (2 before the due day, 1 on it, 0 after; days in Vietnam
    # time), averaged per unit by the database: no dossier is loaded into Python.
    returned = TruncDate("returned_at", tzinfo=LOCAL_TZ)
    due = TruncDate("due_at", tzinfo=LOCAL_TZ)
    score = Case(
        When(Q(returned__lt=due), then=2),
        When(Q(returned=due), then=1),
        default=0,
        output_field=FloatField(),
    )
    indices = dict(
        dossiers.filter(due_at__isnull=False)
        .annotate(returned=returned, due=due)
        .values("unit")
        .annotate(index=Avg(score))
        .values_list("unit", "index")
        .order_by()
    )
    by_unit = {row["unit"]: row for row in counts}
    nodes = tree_walk(Unit.objects.filter(pk__in=by_unit))
    return [
        RateRow(
            node.unit,
            by_unit[node.unit.pk]["total"],
            by_unit[node.unit.pk]["answered"],
            round(indices[node.unit.pk], 2) if node.unit.pk in indices else None,
        )
        for node in nodes
    ]
