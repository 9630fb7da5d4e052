"""The one answer to "which units may this person (or this API key) see", computed once per
request (`ScopeMiddleware` puts it on `request.scope`) and handed to every selector.

A scope is the units assigned to a person, each with its whole subtree. An administrator's
scope is everything. Units are matched by their materialised path, so a unit moved in the tree
(the 2025 reorganisation) is seen by whoever sees where it now is.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, reduce
from operator import or_

from django.db.models import Exists, OuterRef, Q, QuerySet

from hailong.organisation.models import Role, Service, Staff, Unit

# Roles whose scope is the whole organisation regardless of the units assigned to them.
ORGANISATION_WIDE_ROLES = {Role.ADMIN}


def ancestor_ids(unit: Unit) -> list[int]:
    """The unit's own id and those of every unit above it (from its materialised path)."""
    return [int(pk) for pk in unit.path.strip("/").split("/") if pk]


@dataclass(eq=False)
class Scope:
    everything: bool = False
    # The assigned units without the ones inside another assigned unit, in path order.
    roots: tuple[Unit, ...] = ()
    # Every unit assigned to the person (a denunciation about one of them is not theirs).
    assigned: tuple[Unit, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.everything and not self.roots

    def unit_filter(self, prefix: str = "") -> Q:
        """A filter on units (or on `prefix`__ a unit foreign key) for what the scope sees."""
        if self.everything:
            return Q()
        if not self.roots:
            return Q(pk__in=[])
        path = f"{prefix}__path__startswith" if prefix else "path__startswith"
        return reduce(or_, (Q(**{path: root.path}) for root in self.roots))

    def units(self) -> QuerySet[Unit]:
        return Unit.objects.filter(self.unit_filter())

    def sees(self, unit: Unit | None) -> bool:
        if unit is None:
            return False
        return self.everything or any(unit.is_within(root) for root in self.roots)

    @cached_property
    def sees_every_unit(self) -> bool:
        """True for everything, and for roots that include every top-level unit (a leader
        assigned the province): such a scope sees every unit and every procedure, so a
        reader may skip its filter (analytics reads a smaller table then). One query, once."""
        if self.everything:
            return True
        if not self.roots:
            return False
        root_ids = [root.pk for root in self.roots]
        return not Unit.objects.filter(parent__isnull=True).exclude(pk__in=root_ids).exists()

    @cached_property
    def assigned_and_above_ids(self) -> frozenset[int]:
        return frozenset(pk for unit in self.assigned for pk in ancestor_ids(unit))

    def works_in(self, unit: Unit) -> bool:
        """True when one of the person's own units is `unit` or lies below it."""
        return any(own.is_within(unit) for own in self.assigned)

    def covers_all_of(self, units) -> bool:
        return self.everything or all(self.sees(unit) for unit in units)

    @cached_property
    def above_ids(self) -> frozenset[int]:
        """Units above the scope (a campaign or a procedure assigned there reaches it)."""
        return frozenset(pk for root in self.roots for pk in ancestor_ids(root))

    def responses_rule(self, *, unit: str = "unit_id", service: str = "service_id") -> Q:
        """The one rule of which responses (or counts of them) the scope sees, on any table with
        the unit a response was given at and its procedure (`unit`, `service`: their id
        columns): given at a unit of the scope, or about a procedure a unit of the scope is
        responsible for, given where nobody else is responsible for it (the one-stop desk, the
        reception unit; a form filled in at a sibling commune that handles the same procedure
        itself is that commune's, not ours)."""
        return self.responses_given(unit=unit) | self.responses_about(unit=unit, service=service)

    def responses_given(self, *, unit: str = "unit_id") -> Q:
        if self.everything:
            return Q()
        return Q(**{f"{unit}__in": Unit.objects.filter(self.unit_filter()).values("pk")})

    def responses_about(self, *, unit: str = "unit_id", service: str = "service_id") -> Q:
        if self.everything:
            return Q()
        handled_there = Service.units.through.objects.filter(
            service_id=OuterRef(service), unit_id=OuterRef(unit)
        )
        return Q(**{f"{service}__in": self.responsible_services()}) & ~Exists(handled_there)

    def responsible_services(self) -> QuerySet | None:
        """Procedures a unit of the scope is responsible for (assigned to it or below it), as a
        subquery; None for everything. A procedure assigned above (to "all communes") is not
        one commune's responsibility for responses given elsewhere."""
        if self.everything:
            return None
        links = Service.units.through.objects.filter(self.unit_filter("unit"))
        return links.values("service_id")


def scope_roots(units) -> tuple[Unit, ...]:
    roots: list[Unit] = []
    for unit in sorted(units, key=lambda u: u.path):
        if not any(unit.is_within(root) for root in roots):
            roots.append(unit)
    return tuple(roots)


def scope_of(staff: Staff) -> Scope:
    """A person's scope, kept on the person object: request.user is one object per request,
    so the scope is computed once per request whatever the number of selectors reading it."""
    cached = getattr(staff, "_hailong_scope", None)
    if cached is not None:
        return cached
    if not staff.is_authenticated or not staff.is_active:
        scope = Scope()
    elif staff.role in ORGANISATION_WIDE_ROLES or staff.is_superuser:
        scope = Scope(everything=True)
    else:
        assigned = tuple(staff.units.all())
        scope = Scope(roots=scope_roots(assigned), assigned=assigned)
    staff._hailong_scope = scope
    return scope


def scope_of_units(units) -> Scope:
    """The scope of an API key (or anything else given a list of units)."""
    units = tuple(units)
    return Scope(roots=scope_roots(units), assigned=units)


def as_scope(who: Scope | Staff) -> Scope:
    """Selectors take the request's scope; a Staff (a command, a test, a service given the
    actor) is turned into theirs."""
    return who if isinstance(who, Scope) else scope_of(who)


class ScopeMiddleware:
    """Puts the signed-in person's scope on the request, computed on first use."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils.functional import SimpleLazyObject

        request.scope = SimpleLazyObject(lambda: scope_of(request.user))
        return self.get_response(request)
