"""Reads of survey campaigns: which one takes a response, who sees which, how far each has got
and what changed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils.formats import date_format, number_format
from django.utils.text import capfirst

from hailong.core.audit import changed_fields
from hailong.core.models import AuditEntry
from hailong.organisation.models import Service, Staff, Unit
from hailong.organisation.scope import Scope, ancestor_ids, as_scope, scope_of_units
from hailong.surveys.models import (
    Campaign,
    CampaignStatus,
    Channel,
    QuestionnaireVersion,
    VersionStatus,
)
from hailong.surveys.selectors.responses import responses_visible_to


def campaigns_covering(
    unit: Unit, *, channel: str, on_day: date, service: Service | None = None
) -> list[Campaign]:
    """Open campaigns that take responses about `unit` through `channel` on `on_day`, newest
    first. A campaign covers a unit when one of its units is the unit or above it. (Open
    campaigns are few, so the channel test runs in Python: SQLite cannot query inside JSON.)"""
    campaigns = Campaign.objects.filter(
        status=CampaignStatus.OPEN,
        starts_on__lte=on_day,
        ends_on__gte=on_day,
        units__in=ancestor_ids(unit),
        version__status=VersionStatus.PUBLISHED,
    )
    if service is not None:
        campaigns = campaigns.filter(Q(services__isnull=True) | Q(services=service))
    campaigns = campaigns.select_related("version", "version__questionnaire").distinct()
    covering = [c for c in campaigns.order_by("-starts_on", "-pk") if channel in c.channels]
    # A campaign explicitly taken over by another one covering the same place and day gives
    # way to it (overlaps are otherwise refused: campaigns_overlapping).
    ids = [c.pk for c in covering]
    taken = set(
        Campaign.takes_over.through.objects.filter(
            from_campaign_id__in=ids, to_campaign_id__in=ids
        ).values_list("to_campaign_id", flat=True)
    )
    return [c for c in covering if c.pk not in taken]


def campaigns_serving(
    units: list[Unit], *, channels: list[str], on_day: date
) -> dict[tuple[int, str], Campaign | None]:
    """campaign_for(unit, channel=channel, on_day=on_day) for many units and channels at once,
    keyed by (unit id, channel), in two queries whatever the number of units (a list of
    service points must not ask once per row)."""
    open_campaigns = list(
        Campaign.objects.filter(
            status=CampaignStatus.OPEN,
            starts_on__lte=on_day,
            ends_on__gte=on_day,
            version__status=VersionStatus.PUBLISHED,
        )
        .select_related("version", "version__questionnaire")
        .prefetch_related("units")
        .order_by("-starts_on", "-pk")
    )
    takeovers = set(
        Campaign.takes_over.through.objects.filter(
            from_campaign_id__in=[c.pk for c in open_campaigns]
        ).values_list("from_campaign_id", "to_campaign_id")
    )
    unit_ids = {c.pk: {u.pk for u in c.units.all()} for c in open_campaigns}
    served: dict[tuple[int, str], Campaign | None] = {}
    for unit in units:
        above = set(ancestor_ids(unit))
        for channel in channels:
            # The same rule as campaigns_covering: newest first, a campaign taken over by
            # another one covering the same place and day gives way to it.
            covering = [
                c for c in open_campaigns if channel in c.channels and unit_ids[c.pk] & above
            ]
            ids = {c.pk for c in covering}
            taken = {to for (frm, to) in takeovers if frm in ids and to in ids}
            served[(unit.pk, channel)] = next((c for c in covering if c.pk not in taken), None)
    return served


def campaign_for(
    unit: Unit,
    *,
    channel: str,
    on_day: date,
    service: Service | None = None,
    questionnaire_code: str | None = None,
) -> Campaign | None:
    for campaign in campaigns_covering(unit, channel=channel, on_day=on_day, service=service):
        if not questionnaire_code or campaign.version.questionnaire.code == questionnaire_code:
            return campaign
    return None


# The channels on which a response finds its campaign by itself (campaign_for): two open
# campaigns sharing one of them at the same unit and day compete for the same responses. Paper
# entry and file imports name their campaign, so they never compete.
COMPETING_CHANNELS = (Channel.WEB, Channel.KIOSK, Channel.API)


@dataclass
class Overlap:
    campaign: Campaign
    channels: list[str]  # the competing channels both take
    starts_on: date
    ends_on: date


def campaigns_overlapping(
    campaign: Campaign, *, units: list[Unit], services: list[Service]
) -> list[Overlap]:
    """The open campaigns that would compete with `campaign` (as it is about to be saved, with
    these units and procedures) for the same responses: dates that meet, a competing channel
    in common, a unit of one at or under a unit of the other, and procedures in common (no
    procedure listed means all of them). Pairs already resolved by a take-over are left out."""
    channels = [c for c in COMPETING_CHANNELS if c in campaign.channels]
    if not channels or not units:
        return []
    others = (
        Campaign.objects.filter(
            status=CampaignStatus.OPEN,
            starts_on__lte=campaign.ends_on,
            ends_on__gte=campaign.starts_on,
        )
        .exclude(pk=campaign.pk)
        .prefetch_related("units", "services")
        .order_by("starts_on", "pk")
    )
    if campaign.pk:
        others = others.exclude(taken_over_by=campaign).exclude(takes_over=campaign)
    unit_ids = {u.pk for u in units}
    above_mine = {pk for u in units for pk in ancestor_ids(u)}
    service_ids = {s.pk for s in services}
    found = []
    for other in others:
        shared = [c for c in channels if c in other.channels]
        other_ids = {u.pk for u in other.units.all()}
        above_theirs = {pk for u in other.units.all() for pk in ancestor_ids(u)}
        # One of its units is one of mine or above it, or one of mine is above one of its.
        meets = bool(other_ids & above_mine) or bool(unit_ids & above_theirs)
        other_services = {s.pk for s in other.services.all()}
        same_services = not service_ids or not other_services or bool(service_ids & other_services)
        if shared and meets and same_services:
            found.append(
                Overlap(
                    other,
                    shared,
                    max(campaign.starts_on, other.starts_on),
                    min(campaign.ends_on, other.ends_on),
                )
            )
    return found


def campaign_scope(campaign: Campaign) -> Scope:
    """What a campaign covers, as a Scope: its units, each with its subtree."""
    return scope_of_units(campaign.units.all())


def campaigns_visible_to(who: Scope | Staff) -> QuerySet[Campaign]:
    """Campaigns that cover at least one unit this person sees (or lie above it)."""
    scope = as_scope(who)
    if scope.everything:
        return Campaign.objects.all()
    if scope.is_empty:
        return Campaign.objects.none()
    # A campaign on a unit above the person's scope covers their units too.
    return Campaign.objects.filter(
        Q(units__in=scope.above_ids) | Q(units__in=scope.units())
    ).distinct()


@dataclass
class ProgressRow:
    label: str
    responses: int


@dataclass
class CampaignProgress:
    total: int
    target: int
    by_unit: list[ProgressRow]
    by_channel: list[ProgressRow]

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.total / self.target)) if self.target else 0


def campaign_progress(campaign: Campaign, *, staff: Staff) -> CampaignProgress:
    """Responses so far against the target, per unit and per channel, within the person's scope."""

    responses = responses_visible_to(staff).filter(campaign=campaign)
    by_unit = [
        ProgressRow(row["unit__name"], row["n"])
        for row in responses.values("unit__name").annotate(n=Count("id")).order_by("-n")
    ]
    labels = dict(Channel.choices)
    by_channel = [
        ProgressRow(str(labels.get(row["channel"], row["channel"])), row["n"])
        for row in responses.values("channel").annotate(n=Count("id")).order_by("-n")
    ]
    total = sum(row.responses for row in by_unit)
    return CampaignProgress(total, _target_for(campaign, as_scope(staff)), by_unit, by_channel)


def _target_for(campaign: Campaign, scope: Scope) -> int:
    """The campaign's target when the person sees all it covers; 0 (not shown) otherwise, as
    the whole campaign's target measured against part of it (a unit's scope) misleads."""
    return campaign.target_responses if scope.covers_all_of(campaign.units.all()) else 0


def campaigns_with_totals(campaigns, *, staff: Staff) -> list[tuple[Campaign, CampaignProgress]]:
    """Campaigns with their response totals in the person's scope, for lists: one grouped
    query for all of them (the per-unit and per-channel breakdown is on the detail page)."""
    campaigns = list(campaigns.prefetch_related("units"))
    totals = dict(
        responses_visible_to(staff)
        .filter(campaign__in=campaigns)
        .values_list("campaign")
        .annotate(n=Count("id"))
        .order_by()
    )
    scope = as_scope(staff)
    return [
        (c, CampaignProgress(totals.get(c.pk, 0), _target_for(c, scope), [], [])) for c in campaigns
    ]


@dataclass
class HistoryRow:
    entry: object
    changes: list[tuple[str, str, str]]  # (field label, before, after)


def campaign_history(campaign: Campaign) -> list[HistoryRow]:
    """The campaign's audit rows, each with the fields it changed in words."""

    labels = {
        f.name: capfirst(str(f.verbose_name))
        for f in Campaign._meta.get_fields()
        if hasattr(f, "verbose_name")
    }
    rows = []
    for entry in AuditEntry.objects.filter(
        target_type__model="campaign", target_id=str(campaign.pk)
    ).select_related("actor"):
        changes = []
        if entry.before and entry.after:
            for name in changed_fields(entry.before, entry.after):
                if name in labels and name != "updated_at":
                    changes.append(
                        (
                            labels[name],
                            _history_value(name, entry.before.get(name)),
                            _history_value(name, entry.after.get(name)),
                        )
                    )
        rows.append(HistoryRow(entry, changes))
    return rows


def _history_value(name: str, value) -> str:
    """A stored value in words: statuses and channels by their labels, dates as written in
    Vietnam, related rows by name (the audit row keeps codes and primary keys)."""
    if value in (None, "", []):
        return "—"
    if name == "status":
        return str(dict(CampaignStatus.choices).get(value, value))
    if name == "channels":
        names = dict(Channel.choices)
        return ", ".join(str(names.get(v, v)) for v in value)
    if name == "units":
        units = Unit.objects.in_bulk(value)
        return ", ".join(units[pk].name if pk in units else str(pk) for pk in value)
    if name == "services":
        services = Service.objects.in_bulk(value)
        return ", ".join(services[pk].name if pk in services else str(pk) for pk in value)
    if name == "version":
        version = QuestionnaireVersion.objects.select_related("questionnaire").filter(pk=value)
        found = version.first()
        return f"{found.questionnaire.name} – v{found.number}" if found else str(value)
    if name in ("starts_on", "ends_on"):
        try:
            return date_format(date.fromisoformat(str(value)), "d/m/Y")
        except ValueError:
            return str(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return number_format(value, force_grouping=True)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)
