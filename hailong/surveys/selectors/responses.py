"""Reads of survey responses, scoped to what the person may see."""

from __future__ import annotations

from django.db.models import QuerySet

from hailong.core.periods import Period
from hailong.organisation.models import Staff
from hailong.organisation.scope import Scope, as_scope
from hailong.surveys.models import Response


def responses_visible_to(who: Scope | Staff, *, basis: str = "") -> QuerySet[Response]:
    """Responses given at a unit of the scope (its counters, kiosks, paper forms) and responses
    about a procedure a unit of the scope is responsible for, wherever they were given (the
    one-stop desk, a commune). `basis` narrows to one of the two: "given" or "about"."""
    scope = as_scope(who)
    if scope.everything or (not basis and scope.sees_every_unit):
        # A scope over the whole tree sees every response given anywhere: no rule to apply
        # (its Exists made the dashboard's comments read take seconds on SQLite).
        return Response.objects.all()
    rule = {
        "given": scope.responses_given(),
        "about": scope.responses_about(),
    }.get(basis, scope.responses_rule())
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
