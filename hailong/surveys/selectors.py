"""Reads of survey responses, scoped to what the person may see."""

from __future__ import annotations

from django.db.models import QuerySet

from hailong.core.periods import Period
from hailong.organisation.models import Staff
from hailong.organisation.selectors import units_visible_to
from hailong.surveys.models import Response


def responses_visible_to(staff: Staff) -> QuerySet[Response]:
    return Response.objects.filter(unit__in=units_visible_to(staff))


def responses_filter(
    staff: Staff,
    *,
    period: Period | None = None,
    unit=None,
    service=None,
    channel: str = "",
    campaign=None,
) -> QuerySet[Response]:
    """The responses of a list or export: scope first, then the filters. A unit filter includes
    the units below it."""
    responses = responses_visible_to(staff)
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
