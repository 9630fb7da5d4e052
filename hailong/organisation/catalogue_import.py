"""Importing the services catalogue (thủ tục hành chính) from CSV or XLSX.

Two passes, as offices expect: `catalogue_parse` checks every row and says what is wrong with
each bad one (in the user's language); `catalogue_apply` then writes the good rows in one
transaction. Re-importing the same file updates rows in place, so nothing is doubled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from hailong.core.audit import audit_record
from hailong.core.tabular import Row, read_table
from hailong.core.text import fold_for_search
from hailong.organisation.models import Service, ServiceField, Staff, TimeLimitKind, Unit

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


@dataclass
class CatalogueReport:
    rows: list[CatalogueRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (row number, message)
    # Imported all the same, but worth a look before confirming (a typo makes a new field).
    warnings: list[tuple[int, str]] = field(default_factory=list)
    file_error: str = ""

    @property
    def ok(self) -> bool:
        return not self.file_error and not self.errors


def _column_map(keys: list[str]) -> dict[str, str]:
    mapping = {}
    for name, aliases in COLUMNS.items():
        for key in keys:
            if key in aliases:
                mapping[name] = key
                break
    return mapping


def _parse_row(row: Row, columns: dict[str, str], known_units: set[str]):
    def value(name: str) -> str:
        return row.get(columns[name]) if name in columns else ""

    problems = []
    code, name, field_name = value("code"), value("name"), value("field")
    if not code:
        problems.append(_("the national code is missing"))
    elif not CODE_PATTERN.match(code):
        problems.append(_("“%(code)s” is not a procedure code (e.g. 1.001193)") % {"code": code})
    if not name:
        problems.append(_("the procedure name is missing"))
    elif len(name) > NAME_MAX:
        problems.append(_("the name is longer than %(max)d characters") % {"max": NAME_MAX})
    if len(field_name) > FIELD_MAX:
        problems.append(_("the field is longer than %(max)d characters") % {"max": FIELD_MAX})
    if not field_name:
        problems.append(_("the field (lĩnh vực) is missing"))
    unit_codes = [u.strip().upper() for u in re.split(r"[;,]", value("units")) if u.strip()]
    unknown = [u for u in unit_codes if u not in known_units]
    if unknown:
        problems.append(_("unknown unit code(s): %(codes)s") % {"codes": ", ".join(unknown)})
    days_text = value("time_limit_days")
    days = None
    if days_text:
        try:
            days = int(float(days_text.replace(",", ".")))
            if days < 0 or days > 3650:
                raise ValueError
        except ValueError:
            problems.append(
                _("time limit “%(value)s” is not a number of days") % {"value": days_text}
            )
    kind_text = value("time_limit_kind")
    kind = (
        KIND_WORDS.get("_".join(fold_for_search(kind_text).split()))
        if kind_text
        else (TimeLimitKind.WORKING)
    )
    if kind is None:
        problems.append(
            _("“%(value)s” must be “working” (ngày làm việc) or “calendar” (ngày)")
            % {"value": kind_text}
        )
    if problems:
        return None, "; ".join(problems)
    return CatalogueRow(row.number, code, name, field_name, unit_codes, days, kind), ""


def catalogue_parse(data: bytes, *, filename: str = "") -> CatalogueReport:
    from hailong.core.tabular import TableError

    report = CatalogueReport()
    try:
        keys, rows = read_table(data, filename=filename)
        columns = _column_map(keys)
        missing = [c for c in REQUIRED if c not in columns]
        if missing:
            report.file_error = _(
                "Missing column(s): %(columns)s. The first row must name the columns "
                "code, name, field, units, time_limit_days, time_limit_kind."
            ) % {"columns": ", ".join(missing)}
            return report
        known_units = {c.upper() for c in Unit.objects.values_list("code", flat=True)}
        known_fields = set(ServiceField.objects.values_list("name", flat=True))
        new_fields: set[str] = set()
        seen: dict[str, int] = {}
        for row in rows:
            parsed, problem = _parse_row(row, columns, known_units)
            if parsed and parsed.code in seen:
                problem = _("code %(code)s already appears on row %(row)d") % {
                    "code": parsed.code,
                    "row": seen[parsed.code],
                }
                parsed = None
            if parsed is None:
                report.errors.append((row.number, problem))
            else:
                seen[parsed.code] = row.number
                report.rows.append(parsed)
                if parsed.field not in known_fields and parsed.field not in new_fields:
                    new_fields.add(parsed.field)
                    report.warnings.append(
                        (
                            row.number,
                            _("“%(field)s” is a new field and will be created: check its spelling")
                            % {"field": parsed.field},
                        )
                    )
                if not parsed.unit_codes:
                    report.warnings.append((row.number, _("no responsible unit is given")))
    except TableError as exc:
        report.file_error = str(exc)
    if not report.file_error and not report.rows and not report.errors:
        report.file_error = _("The file has a header row but no procedures.")
    return report


@dataclass
class CatalogueResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@transaction.atomic
def catalogue_apply(*, rows: list[CatalogueRow], actor: Staff | None) -> CatalogueResult:
    """Create or update the procedures of valid rows (matched by national code)."""
    result = CatalogueResult()
    units = {u.code.upper(): u for u in Unit.objects.all()}
    fields = {f.name: f for f in ServiceField.objects.all()}
    existing = {s.code: s for s in Service.objects.prefetch_related("units")}
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
    if result.created or result.updated:
        audit_record(
            actor=actor,
            action="service.import",
            after={
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "codes": [r.code for r in rows],
            },
        )
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
