"""Reads of the organisation, always scoped to what the person asking may see.

`units_visible_to` is the one answer to "which units may this person see"; every list, export,
API and report of later issues filters through it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Count, Prefetch, Q, QuerySet

from hailong.core.text import fold_for_search, vietnamese_sort_key
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
    return tree_walk(units)


def ancestor_ids(unit: Unit) -> list[int]:
    """The unit's own id and those of every unit above it (from its materialised path)."""
    return [int(pk) for pk in unit.path.strip("/").split("/") if pk]


def services_of_unit(unit: Unit) -> QuerySet[Service]:
    """Procedures a unit handles: assigned to it or to a unit above it. A procedure assigned to
    a grouping unit ("UBND các xã") is handled by every unit under it (each commune)."""
    return Service.objects.filter(
        pk__in=Service.units.through.objects.filter(unit_id__in=ancestor_ids(unit)).values(
            "service_id"
        )
    ).select_related("field")


def services_visible_to(staff: Staff) -> QuerySet[Service]:
    """Procedures handled by a unit this person may see: assigned to a visible unit, or to a
    unit above the person's scope (see services_of_unit). Administrators also see procedures
    not yet assigned to any unit, so they can assign them."""
    services = Service.objects.select_related("field")
    if staff.is_authenticated and staff.is_administrator and staff.is_active:
        return services
    above = {pk for root in scope_roots(staff) for pk in ancestor_ids(root)}
    links = Service.units.through.objects.filter(
        Q(unit__in=units_visible_to(staff)) | Q(unit_id__in=above)
    )
    return services.filter(pk__in=links.values("service_id"))


def services_search(
    staff: Staff, *, query: str = "", field_id: int | None = None, active_only: bool = True
) -> QuerySet[Service]:
    services = services_visible_to(staff)
    if active_only:
        services = services.filter(is_active=True)
    if field_id:
        services = services.filter(field_id=field_id)
    query = " ".join((query or "").split())
    if query:
        folded = fold_for_search(query)
        digits = query.replace(".", "")
        services = services.filter(
            Q(code__icontains=query)
            | Q(search_text__contains=folded)
            | (Q(search_text__contains=digits) if digits.isdigit() else Q(pk__in=[]))
        )
    return services.prefetch_related(Prefetch("units", queryset=Unit.objects.order_by("path")))


def fields_in_use(staff: Staff) -> QuerySet[ServiceField]:
    return ServiceField.objects.filter(pk__in=services_visible_to(staff).values("field_id"))


def in_vietnamese_order(objects, attribute: str = "name") -> list:
    return sorted(objects, key=lambda o: vietnamese_sort_key(getattr(o, attribute)))


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
    units = Unit.objects.filter(
        Q(path__startswith=point.unit.path) | Q(pk__in=ancestor_ids(point.unit))
    )
    return services.filter(units__in=units).distinct().order_by("name")


def login_failures(username: str) -> int:
    """Failed sign-ins counted towards the lockout of this username (django-axes)."""
    from axes.models import AccessAttempt
    from django.conf import settings
    from django.utils import timezone

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return sum(
        AccessAttempt.objects.filter(username=username, attempt_time__gte=since).values_list(
            "failures_since_start", flat=True
        )
    )


def locked_usernames() -> list[str]:
    """Usernames locked out right now (failures within the cool-off at or above the limit)."""
    from axes.models import AccessAttempt
    from django.conf import settings
    from django.utils import timezone

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return sorted(
        set(
            AccessAttempt.objects.filter(
                attempt_time__gte=since, failures_since_start__gte=settings.AXES_FAILURE_LIMIT
            ).values_list("username", flat=True)
        )
    )


def tree_walk(units) -> list[UnitNode]:
    """Units parents-first, siblings by their order then Vietnamese name, each with its level
    below the top of the given set (a materialised path would sort "/1/10/" before "/1/2/")."""
    units = list(units)
    ids = {u.pk for u in units}
    by_parent: dict[int | None, list[Unit]] = {}
    for unit in units:
        by_parent.setdefault(unit.parent_id if unit.parent_id in ids else None, []).append(unit)
    nodes: list[UnitNode] = []

    def walk(parent: int | None, level: int) -> None:
        for unit in sorted(
            by_parent.get(parent, []), key=lambda u: (u.sort_order, vietnamese_sort_key(u.name))
        ):
            nodes.append(UnitNode(unit, level))
            walk(unit.pk, level + 1)

    walk(None, 0)
    return nodes


def unit_choices(units) -> list[tuple[int, str]]:
    """(pk, label) pairs for a select: tree order, each level indented."""
    indent = "\u2003"  # an em space per level
    return [(node.unit.pk, indent * node.level + node.unit.name) for node in tree_walk(units)]
