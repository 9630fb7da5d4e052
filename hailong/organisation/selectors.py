"""Reads of the organisation, always scoped to what the person asking may see.

`units_visible_to` is the one answer to "which units may this person see"; every list, export,
API and report of later issues filters through it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Count, Prefetch, Q, QuerySet

from hailong.core.text import fold_for_search
from hailong.organisation.models import Role, Service, ServiceField, ServicePoint, Staff, Unit

# Roles whose scope is the whole organisation regardless of the units assigned to them.
ORGANISATION_WIDE_ROLES = {Role.ADMIN}


def scope_roots(staff: Staff) -> list[Unit]:
    """The units assigned to a person, without the ones already inside another assigned unit."""
    units = sorted(staff.units.all(), key=lambda u: u.path)
    roots: list[Unit] = []
    for unit in units:
        if not any(unit.is_within(root) for root in roots):
            roots.append(unit)
    return roots


def units_visible_to(staff: Staff) -> QuerySet[Unit]:
    """Every unit this person may see: all of them for an administrator, otherwise each unit of
    their scope with its whole subtree. Inactive staff and people without scope see nothing."""
    if not staff.is_authenticated or not staff.is_active:
        return Unit.objects.none()
    if staff.role in ORGANISATION_WIDE_ROLES or staff.is_superuser:
        return Unit.objects.all()
    roots = scope_roots(staff)
    if not roots:
        return Unit.objects.none()
    return Unit.objects.filter(reduce(or_, (Q(path__startswith=root.path) for root in roots)))


def unit_visible_to(staff: Staff, pk: int) -> Unit | None:
    return units_visible_to(staff).filter(pk=pk).first()


@dataclass(frozen=True)
class UnitNode:
    unit: Unit
    level: int  # depth relative to the top of what the person sees


def unit_tree_for(staff: Staff) -> list[UnitNode]:
    """The visible units in tree order (parents before children, siblings by order then name)."""
    units = list(
        units_visible_to(staff)
        .select_related("parent")
        .annotate(
            service_count=Count("services", distinct=True),
            point_count=Count("service_points", distinct=True),
        )
    )
    by_parent: dict[int | None, list[Unit]] = {}
    ids = {u.pk for u in units}
    for unit in units:
        parent = unit.parent_id if unit.parent_id in ids else None
        by_parent.setdefault(parent, []).append(unit)
    for siblings in by_parent.values():
        siblings.sort(key=lambda u: (u.sort_order, u.name))
    nodes: list[UnitNode] = []

    def walk(parent: int | None, level: int) -> None:
        for unit in by_parent.get(parent, []):
            nodes.append(UnitNode(unit, level))
            walk(unit.pk, level + 1)

    walk(None, 0)
    return nodes


def services_visible_to(staff: Staff) -> QuerySet[Service]:
    """Procedures handled by at least one unit this person may see. Administrators also see
    procedures not yet assigned to any unit, so they can assign them."""
    services = Service.objects.select_related("field")
    if staff.is_authenticated and staff.is_administrator and staff.is_active:
        return services
    visible = units_visible_to(staff)
    return services.filter(
        pk__in=Service.units.through.objects.filter(unit__in=visible).values("service_id")
    )


def services_search(
    staff: Staff, *, query: str = "", field_id: int | None = None, active_only: bool = True
) -> QuerySet[Service]:
    services = services_visible_to(staff)
    if active_only:
        services = services.filter(is_active=True)
    if field_id:
        services = services.filter(field_id=field_id)
    query = (query or "").strip()
    if query:
        folded = fold_for_search(query)
        services = services.filter(
            Q(code__icontains=query) | Q(name__icontains=query) | Q(search_text__contains=folded)
        )
    return services.prefetch_related(Prefetch("units", queryset=Unit.objects.order_by("path")))


def fields_in_use(staff: Staff) -> QuerySet[ServiceField]:
    return ServiceField.objects.filter(
        pk__in=services_visible_to(staff).values("field_id")
    ).order_by("name")


def service_points_visible_to(staff: Staff) -> QuerySet[ServicePoint]:
    return ServicePoint.objects.filter(unit__in=units_visible_to(staff)).select_related("unit")


def staff_visible_to(staff: Staff) -> QuerySet[Staff]:
    """Colleagues whose scope overlaps what this person sees. People with no scope at all are
    seen by administrators only (so they can be given one)."""
    people = Staff.objects.prefetch_related(
        Prefetch("units", queryset=Unit.objects.order_by("path"))
    )
    if staff.is_authenticated and staff.is_administrator and staff.is_active:
        return people
    return people.filter(units__in=units_visible_to(staff)).distinct()


def staff_without_scope() -> QuerySet[Staff]:
    return Staff.objects.filter(is_active=True, units__isnull=True).exclude(role=Role.ADMIN)


def units_without_service_points(staff: Staff) -> QuerySet[Unit]:
    return units_visible_to(staff).filter(
        is_active=True, kind__in=["one_stop", "reception", "commune"], service_points__isnull=True
    )


def services_without_units() -> QuerySet[Service]:
    return Service.objects.filter(is_active=True, units__isnull=True)


def services_at_point(point: ServicePoint) -> QuerySet[Service]:
    """The procedures a citizen may have come for at a counter or kiosk: those set on the point,
    otherwise those of its unit, the units below it and the units above it (a commune's counter
    serves procedures assigned to "all communes")."""
    services = Service.objects.filter(is_active=True).select_related("field")
    if point.services.exists():
        return services.filter(pk__in=point.services.values("pk")).order_by("name")
    ancestor_ids = [int(pk) for pk in point.unit.path.strip("/").split("/") if pk]
    units = Unit.objects.filter(Q(path__startswith=point.unit.path) | Q(pk__in=ancestor_ids))
    return services.filter(units__in=units).distinct().order_by("name")
