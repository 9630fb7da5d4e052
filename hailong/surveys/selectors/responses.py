"""Reads of survey responses, scoped to what the person may see."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from hailong.core.periods import Period
from hailong.organisation.models import Service, Staff
from hailong.organisation.scope import Scope, as_scope
from hailong.surveys.models import Response


def responses_visible_to(who: Scope | Staff, *, basis: str = "") -> QuerySet[Response]:
    """Responses given at a unit of the scope (its counters, kiosks, paper forms) and responses
    about a procedure a unit of the scope is responsible for, wherever they were given (the
    one-stop desk, a commune). `basis` narrows to one of the two: "given" or "about"."""
    scope = as_scope(who)
    if scope.everything:
        return Response.objects.all()
    given = scope.unit_filter("unit")
    # About our procedures, given where nobody else is responsible for them (the one-stop
    # desk, the reception unit): a form filled in at a sibling commune that handles the same
    # procedure itself is that commune's, not ours.
    about = Q(service_id__in=scope.responsible_services()) & ~Exists(
        Service.units.through.objects.filter(
            service_id=OuterRef("service_id"), unit_id=OuterRef("unit_id")
        )
    )
    rule = {"given": given, "about": about}.get(basis, given | about)
    return Response.objects.filter(rule)


def responses_filter(
    who: Scope | Staff,
    *,
    basis: str = "",
    period: Period | None = None,
    unit=None,
    service=None,
    channel: str = "",
    campaign=None,
) -> QuerySet[Response]:
    """The responses of a list or export: scope first, then the filters. A unit filter includes
    the units below it."""
    responses = responses_visible_to(who, basis=basis)
    if period is not None:
        responses = responses.filter(
            local_date__gte=period.first_day, local_date__lt=period.end_day
        )
    if unit is not None:
        responses = responses.filter(unit__path__startswith=unit.path)
    if service is not None:
        responses = responses.filter(service=service)
    if channel:
        responses = responses.filter(channel=channel)
    if campaign is not None:
        responses = responses.filter(campaign=campaign)
    return responses.select_related("unit", "service", "campaign", "version__questionnaire")
