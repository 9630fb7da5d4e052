"""The home page: each role sees what it does next, read from real data in its scope (one
Scope per request, request.scope)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from hailong.analytics.dashboard import headline_tiles
from hailong.analytics.selectors import Slice
from hailong.core.audit import audit_entries_visible_to
from hailong.core.periods import PeriodKind, period_containing
from hailong.feedback.selectors import case_list_counts
from hailong.feedback.services import local_today
from hailong.organisation import selectors
from hailong.organisation.forms import ServiceSearchForm
from hailong.organisation.models import Role
from hailong.surveys.selectors.campaigns import campaigns_visible_to, campaigns_with_totals
from hailong.surveys.selectors.responses import responses_filter


@login_required
@require_GET
def home(request):
    staff, scope = request.user, request.scope
    units = selectors.units_visible_to(scope)
    context = {
        "scope_roots": scope.roots,
        "counts": {
            "units": units.count(),
            "services": selectors.services_visible_to(scope).filter(is_active=True).count(),
            "points": selectors.service_points_visible_to(scope).filter(is_active=True).count(),
            "staff": selectors.staff_visible_to(scope).filter(is_active=True).count(),
        },
        "search_form": ServiceSearchForm(),
    }

    month = period_containing(timezone.now(), PeriodKind.MONTH)
    open_campaigns = (
        campaigns_visible_to(scope).filter(status="open").select_related("version__questionnaire")
    )
    context.update(
        month=month,
        responses_this_month=responses_filter(scope, period=month).count(),
        campaign_rows=campaigns_with_totals(open_campaigns[:6], staff=staff),
    )

    context["case_counts"] = case_list_counts(staff, today=local_today())
    if staff.is_administrator:
        context.update(
            staff_without_scope=selectors.staff_without_scope(),
            services_without_units=selectors.services_without_units().count(),
            units_without_points=selectors.units_without_service_points(scope),
            # Staff writes; sign-ins would crowd them out (they stay in the full audit log).
            recent_audit=audit_entries_visible_to(staff)
            .exclude(action__startswith="auth.")
            .select_related("actor")[:8],
            locked=selectors.locked_usernames(),
        )
    elif staff.role == Role.SECRETARY:
        context.update(
            services_without_units=selectors.services_without_units().count(),
            fields=selectors.in_vietnamese_order(selectors.fields_in_use(scope)),
        )
    elif staff.role == Role.LEADER:
        # The dashboard's headline for the current quarter, then the way to the whole of it.
        quarter = period_containing(timezone.now(), PeriodKind.QUARTER)
        context.update(
            top_units=selectors.unit_tree_for(scope),
            headline_period=quarter,
            headline_tiles=headline_tiles(
                Slice(period=quarter, scope=scope), staff=staff, today=local_today()
            ),
        )
    elif staff.role == Role.CLERK:
        context.update(points=selectors.service_points_visible_to(scope).filter(is_active=True))
    elif staff.role == Role.OFFICER:
        context.update(
            my_services=selectors.services_visible_to(scope).filter(is_active=True)[:15],
        )
    return render(request, "workspace/home.html", context)
