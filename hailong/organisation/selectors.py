"""Reads of the organisation, always scoped to what the person asking may see.

What a person may see is their Scope (hailong.organisation.scope), computed once per request;
every selector here and in the other apps takes it (or a Staff, turned into theirs).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from hailong.core.text import fold_for_search, vietnamese_sort_key
from hailong.organisation.models import Role, Service, ServiceField, ServicePoint, Staff, Unit
from hailong.organisation.scope import (
    Scope,
    ancestor_ids,
    as_scope,
)


def units_visible_to(who: Scope | Staff) -> QuerySet[Unit]:
    """Every unit this person may see: all of them for an administrator, otherwise each unit of
    their scope with its whole subtree. Inactive staff and people without scope see nothing."""
    return as_scope(who).units()


def unit_visible_to(who: Scope | Staff, pk: int) -> Unit | None:
    return units_visible_to(who).filter(pk=pk).first()


@dataclass(frozen=True)
class UnitNode:
    unit: Unit
    level: int  # depth relative to the top of what the person sees


def unit_tree_for(who: Scope | Staff) -> list[UnitNode]:
    """The visible units in tree order (parents before children, siblings by order then name)."""
    units = list(
        units_visible_to(who)
        .select_related("parent")
        .annotate(
            service_count=Count("services", distinct=True),
            point_count=Count("service_points", distinct=True),
        )
    )
    return tree_walk(units)


def services_of_unit(unit: Unit) -> QuerySet[Service]:
    """Procedures a unit handles: assigned to it or to a unit above it. A procedure assigned to
    a grouping unit ("UBND các xã") is handled by every unit under it (each commune)."""
    return Service.objects.filter(
        pk__in=Service.units.through.objects.filter(unit_id__in=ancestor_ids(unit)).values(
            "service_id"
        )
    ).select_related("field")


def services_visible_to(who: Scope | Staff) -> QuerySet[Service]:
    """Procedures handled by a unit this person may see: assigned to a visible unit, or to a
    unit above the person's scope (see services_of_unit). Administrators also see procedures
    not yet assigned to any unit, so they can assign them."""
    scope = as_scope(who)
    services = Service.objects.select_related("field")
    if scope.everything:
        return services
    links = Service.units.through.objects.filter(
        scope.unit_filter("unit") | Q(unit_id__in=scope.above_ids)
    )
    return services.filter(pk__in=links.values("service_id"))


def services_search(
    who: Scope | Staff, *, query: str = "", field_id: int | None = None, active_only: bool = True
) -> QuerySet[Service]:
    services = services_visible_to(who)
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


def fields_in_use(who: Scope | Staff) -> QuerySet[ServiceField]:
    return ServiceField.objects.filter(pk__in=services_visible_to(who).values("field_id"))


def in_vietnamese_order(objects, attribute: str = "name") -> list:
    return sorted(objects, key=lambda o: vietnamese_sort_key(getattr(o, attribute)))


def service_points_visible_to(who: Scope | Staff) -> QuerySet[ServicePoint]:
    scope = as_scope(who)
    return ServicePoint.objects.filter(scope.unit_filter("unit")).select_related("unit")


def staff_visible_to(who: Scope | Staff) -> QuerySet[Staff]:
    """Colleagues whose scope overlaps what this person sees. People with no scope at all are
    seen by administrators only (so they can be given one)."""
    scope = as_scope(who)
    people = Staff.objects.prefetch_related(
        Prefetch("units", queryset=Unit.objects.order_by("path"))
    )
    if scope.everything:
        return people
    return people.filter(units__in=scope.units()).distinct()


def staff_without_scope() -> QuerySet[Staff]:
    return Staff.objects.filter(is_active=True, units__isnull=True).exclude(role=Role.ADMIN)


def units_without_service_points(who: Scope | Staff) -> QuerySet[Unit]:
    return units_visible_to(who).filter(
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


def login_failures(username: str, ip_address: str | None) -> int:
    """Failed sign-ins counted towards the lockout of this username at this address
    (django-axes locks the pair)."""
    from axes.models import AccessAttempt
    from django.conf import settings
    from django.utils import timezone

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return sum(
        AccessAttempt.objects.filter(
            username=username, ip_address=ip_address, attempt_time__gte=since
        ).values_list("failures_since_start", flat=True)
    )


def locked_usernames() -> list[str]:
    """Usernames locked out right now at some address (failures within the cool-off at or
    above the limit)."""
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


# Filled in by the apps above from their AppConfig.ready(), since organisation may not import
# them (hailong/workspace/tests/test_layers.py): each gets the service points of the list page
# and sets attributes its template shows, in queries that do not grow with the points.
POINT_LIST_ANNOTATORS: list = []
