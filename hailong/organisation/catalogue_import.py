"""Importing the services catalogue (thủ tục hành chính) from CSV or XLSX.

Two passes, as offices expect, on the path of every table import (hailong.core.imports): the
check reads the file row by row and says what is wrong with the bad rows (in the user's
language); on confirmation the import reads it again and writes the good rows in one
transaction. Re-importing the same file updates rows in place, so nothing is doubled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hailong.core.audit import audit_record
from hailong.core.imports import (
    CheckReport,
    RowRejected,
    TableImporter,
    table_check,
    table_importer,
    table_store,
)
from hailong.core.tabular import Problem, Row, TableError
from hailong.core.text import fold_for_search
from hailong.organisation.models import Service, ServiceField, Staff, TimeLimitKind, Unit
from hailong.organisation.permissions import IMPORT_CATALOGUE, RoleGated

# Accepted column names (compared without accents/case), English and Vietnamese.
COLUMNS = {
    "code": {"code", "ma", "ma_tthc", "ma_thu_tuc", "ma_so"},
    "name": {"name", "ten", "ten_tthc", "ten_thu_tuc", "ten_thu_tuc_hanh_chinh"},
    "field": {"field", "linh_vuc"},
    "units": {"units", "unit", "don_vi", "co_quan_thuc_hien", "don_vi_thuc_hien"},
    "time_limit_days": {"time_limit_days", "thoi_han", "thoi_han_giai_quyet", "so_ngay"},
    "time_limit_kind": {"time_limit_kind", "loai_ngay", "tinh_theo"},
}
REQUIRED = ("code", "name", "field")
NAME_MAX = Service._meta.get_field("name").max_length
FIELD_MAX = ServiceField._meta.get_field("name").max_length
# National codes look like 1.001193 or 2.000908; a province's local variant may add a suffix
# (1.001193.000.00.00.H12).
CODE_PATTERN = re.compile(r"^\d\.\d{6}(\.[0-9A-Za-z.]+)?$")
KIND_WORDS = {
    "working": TimeLimitKind.WORKING,
    "ngay_lam_viec": TimeLimitKind.WORKING,
    "lam_viec": TimeLimitKind.WORKING,
    "calendar": TimeLimitKind.CALENDAR,
    "ngay": TimeLimitKind.CALENDAR,
    "ngay_lich": TimeLimitKind.CALENDAR,
}


@dataclass
class CatalogueRow:
    row_number: int
    code: str
    name: str
    field: str
    unit_codes: list[str]
    time_limit_days: int | None
    time_limit_kind: str

    def as_dict(self) -> dict:
        return self.__dict__.copy()


def _column_map(keys: list[str]) -> dict[str, str]:
    mapping = {}
    for name, aliases in COLUMNS.items():
        for key in keys:
            if key in aliases:
                mapping[name] = key
                break
    return mapping


def _parse_row(row: Row, columns: dict[str, str], known_units: set[str]) -> CatalogueRow:
    def value(name: str) -> str:
        return row.get(columns[name]) if name in columns else ""

    problems = []
    code, name, field_name = value("code"), value("name"), value("field")
    if not code:
        problems.append(Problem(_("code missing"), _("the national code is missing")))
    elif not CODE_PATTERN.match(code):
        problems.append(
            Problem(
                _("not a procedure code"),
                _("“%(code)s” is not a procedure code (e.g. 1.001193)") % {"code": code[:40]},
            )
        )
    if not name:
        problems.append(Problem(_("name missing"), _("the procedure name is missing")))
    elif len(name) > NAME_MAX:
        problems.append(
            Problem(
                _("name too long"),
                _("the name is longer than %(max)d characters") % {"max": NAME_MAX},
            )
        )
    if len(field_name) > FIELD_MAX:
        problems.append(
            Problem(
                _("field too long"),
                _("the field is longer than %(max)d characters") % {"max": FIELD_MAX},
            )
        )
    if not field_name:
        problems.append(Problem(_("field missing"), _("the field (lĩnh vực) is missing")))
    unit_codes = [u.strip().upper() for u in re.split(r"[;,]", value("units")) if u.strip()]
    unknown = [u for u in unit_codes if u not in known_units]
    if unknown:
        problems.append(
            Problem(
                _("unit unknown"),
                _("unknown unit code(s): %(codes)s") % {"codes": ", ".join(unknown[:10])[:200]},
            )
        )
    days_text = value("time_limit_days")
    days = None
    if days_text:
        try:
            days = int(float(days_text.replace(",", ".")))
            if days < 0 or days > 3650:
                raise ValueError
        except (ValueError, OverflowError):
            problems.append(
                Problem(
                    _("time limit not a number of days"),
                    _("time limit “%(value)s” is not a number of days") % {"value": days_text[:40]},
                )
            )
    kind_text = value("time_limit_kind")
    kind = (
        KIND_WORDS.get("_".join(fold_for_search(kind_text).split()))
        if kind_text
        else (TimeLimitKind.WORKING)
    )
    if kind is None:
        problems.append(
            Problem(
                _("kind of days unknown"),
                _("“%(value)s” must be “working” (ngày làm việc) or “calendar” (ngày)")
                % {"value": kind_text[:40]},
            )
        )
    if problems:
        raise RowRejected(problems)
    return CatalogueRow(row.number, code, name, field_name, unit_codes, days, kind)


@table_importer
class CatalogueTable(RoleGated, TableImporter):
    """The procedures catalogue: good rows create or update procedures by national code, in
    one transaction."""

    kind = "catalogue"
    roles = IMPORT_CATALOGUE

    title = gettext_lazy("Import procedures")
    back_url = "organisation:catalogue_import"
    audit_action = "service.import"
    CODES_AUDITED = 200

    def __init__(self, *, actor, upload=None):
        super().__init__(actor=actor, upload=upload)
        self.columns_found: dict[str, str] = {}
        self.units = {u.code.upper(): u for u in Unit.objects.all()}
        self.fields = {f.name: f for f in ServiceField.objects.all()}
        self.new_fields: set[str] = set()
        self.seen: dict[str, int] = {}  # code -> the row it first appeared on
        self.result = CatalogueResult()
        self.codes: list[str] = []

    def columns(self, keys: list[str]) -> None:
        self.columns_found = _column_map(keys)
        missing = [c for c in REQUIRED if c not in self.columns_found]
        if missing:
            raise TableError(
                _(
                    "Missing column(s): %(columns)s. The first row must name the columns "
                    "code, name, field, units, time_limit_days, time_limit_kind."
                )
                % {"columns": ", ".join(missing)}
            )

    def empty_message(self) -> str:
        return _("The file has a header row but no procedures.")

    def check_row(self, row: Row) -> CatalogueRow:
        parsed = _parse_row(row, self.columns_found, self.units.keys())
        if parsed.code in self.seen:
            raise RowRejected(
                [
                    Problem(
                        _("code repeated in the file"),
                        _("code %(code)s already appears on row %(row)d")
                        % {"code": parsed.code, "row": self.seen[parsed.code]},
                    )
                ]
            )
        self.seen[parsed.code] = row.number
        if parsed.field not in self.fields and parsed.field not in self.new_fields:
            self.new_fields.add(parsed.field)
            self.warn(
                row.number,
                _("new field"),
                _("“%(field)s” is a new field and will be created: check its spelling")
                % {"field": parsed.field},
            )
        if not parsed.unit_codes:
            self.warn(row.number, _("no unit"), _("no responsible unit is given"))
        return parsed

    def store(self, items: list[CatalogueRow]) -> None:
        catalogue_store(items, units=self.units, fields=self.fields, result=self.result)
        room = self.CODES_AUDITED - len(self.codes)
        self.codes += [row.code for row in items[: max(0, room)]]

    def summary(self) -> dict:
        return {
            "created": self.result.created,
            "updated": self.result.updated,
            "unchanged": self.result.unchanged,
            "codes": self.codes,
            "file": self.upload.filename if self.upload else "",
        }

    def done_message(self, result: dict) -> str:
        return _(
            "Imported %(file)s: %(created)d new, %(updated)d updated, %(unchanged)d unchanged."
        ) % {
            "file": result.get("file", ""),
            "created": result.get("created", 0),
            "updated": result.get("updated", 0),
            "unchanged": result.get("unchanged", 0),
        }


@dataclass
class CatalogueResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def catalogue_store(
    rows: list[CatalogueRow], *, units: dict, fields: dict, result: CatalogueResult
) -> None:
    """Create or update the procedures of one chunk of valid rows (matched by national code);
    `fields` gains the fields created on the way."""
    existing = {
        s.code: s
        for s in Service.objects.filter(code__in=[r.code for r in rows]).prefetch_related("units")
    }
    for row in rows:
        service_field = fields.get(row.field)
        if service_field is None:
            service_field = ServiceField.objects.create(
                name=row.field, code=_unique_field_code(row.field, fields)
            )
            fields[row.field] = service_field
        service = existing.get(row.code)
        wanted_units = sorted(units[c].pk for c in row.unit_codes)
        if service is None:
            service = Service.objects.create(
                code=row.code,
                name=row.name,
                field=service_field,
                time_limit_days=row.time_limit_days,
                time_limit_kind=row.time_limit_kind,
            )
            service.units.set(wanted_units)
            result.created += 1
            continue
        before = {
            "name": service.name,
            "field": service.field_id,
            "units": sorted(u.pk for u in service.units.all()),
            "time_limit_days": service.time_limit_days,
            "time_limit_kind": service.time_limit_kind,
        }
        after = {
            "name": row.name,
            "field": service_field.pk,
            "units": wanted_units,
            "time_limit_days": row.time_limit_days,
            "time_limit_kind": row.time_limit_kind,
        }
        if before == after:
            result.unchanged += 1
            continue
        service.name, service.field = row.name, service_field
        service.time_limit_days, service.time_limit_kind = row.time_limit_days, row.time_limit_kind
        service.save()
        service.units.set(wanted_units)
        result.updated += 1


def catalogue_check(data, *, filename: str = "") -> CheckReport:
    """Check a catalogue file (bytes or a function opening it); nothing is stored."""
    return table_check(CatalogueTable(actor=None), data, filename=filename)


def catalogue_import(data, *, filename: str = "", actor: Staff | None) -> dict:
    """Store the good rows of a catalogue file in one transaction (command line, demo data);
    the pages take the background path (hailong.core.imports)."""
    with transaction.atomic():
        result = table_store(CatalogueTable(actor=actor), data, filename=filename)
        if result["created"] or result["updated"]:
            audit_record(actor=actor, action="service.import", after={**result, "file": filename})
    return result


def _unique_field_code(name: str, fields: dict[str, ServiceField]) -> str:
    base = slugify(fold_for_search(name))[:36] or "linh-vuc"
    taken = {f.code for f in fields.values()} | set(
        ServiceField.objects.filter(code__startswith=base).values_list("code", flat=True)
    )
    code, n = base, 2
    while code in taken:
        code, n = f"{base}-{n}", n + 1
    return code
