"""Reads of regular customers (khách hàng thường xuyên), scoped: their names, emails and phones
are personal data, seen only by people whose scope holds the unit that serves them."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from hailong.organisation.models import Staff, Unit
from hailong.organisation.scope import Scope, as_scope
from hailong.surveys.models import RegularCustomer


def sees_whole_organisation(who: Scope | Staff) -> bool:
    """True for a scope holding every top unit of the tree: a customer served by no unit in
    particular is the whole organisation's, so only such a scope sees (and adds) one."""
    scope = as_scope(who)
    if scope.everything:
        return True
    roots = {unit.pk for unit in scope.roots}
    tops_outside = Unit.objects.filter(parent__isnull=True).exclude(pk__in=roots)
    return bool(roots) and not tops_outside.exists()


def customers_visible_to(who: Scope | Staff) -> QuerySet[RegularCustomer]:
    scope = as_scope(who)
    visible = scope.unit_filter("unit")
    if not scope.everything and sees_whole_organisation(scope):
        visible |= Q(unit__isnull=True)
    return RegularCustomer.objects.filter(visible)
