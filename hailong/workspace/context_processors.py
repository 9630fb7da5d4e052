"""What every page needs to draw the shell: the navigation for the signed-in person's role."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hailong.organisation.permissions import MANAGE_ORGANISATION, has_role
from hailong.surveys.permissions import (
    ENTER_PAPER,
    IMPORT_RESPONSES,
    MANAGE_CAMPAIGNS,
    MANAGE_QUESTIONNAIRES,
)


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    name: str  # url name, to mark the current page


def navigation_for(user) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    items = [
        NavItem(_("Home"), reverse("home"), "home"),
        # Every role: the figures of the person's own scope (tests/security/routes.py).
        NavItem(_("Dashboard"), reverse("analytics:dashboard"), "dashboard"),
        NavItem(_("Feedback & complaints"), reverse("feedback:case_list"), "case_list"),
        NavItem(_("Responses"), reverse("surveys:response_list"), "response_list"),
        NavItem(_("Campaigns"), reverse("surveys:campaign_list"), "campaign_list"),
    ]
    if has_role(user, ENTER_PAPER):
        items.append(NavItem(_("Paper forms"), reverse("surveys:paper_home"), "paper_home"))
    if has_role(user, MANAGE_QUESTIONNAIRES):
        items.append(
            NavItem(
                _("Questionnaires"), reverse("surveys:questionnaire_list"), "questionnaire_list"
            )
        )
    # Who may open each page: tests/security/routes.py (imports and regular customers are the
    # managers'; every role reads the dossier register, only managers import into it).
    if has_role(user, IMPORT_RESPONSES):
        items.append(NavItem(_("Imports"), reverse("surveys:import_list"), "import_list"))
    items.append(
        NavItem(_("Dossier register"), reverse("surveys:dossier_register"), "dossier_register")
    )
    if has_role(user, MANAGE_CAMPAIGNS):
        items.append(
            NavItem(_("Regular customers"), reverse("surveys:customer_list"), "customer_list")
        )
    items += [
        NavItem(_("Units"), reverse("organisation:unit_list"), "unit_list"),
        NavItem(_("Procedures"), reverse("organisation:service_list"), "service_list"),
        NavItem(_("Service points"), reverse("organisation:point_list"), "point_list"),
        NavItem(_("Staff"), reverse("organisation:staff_list"), "staff_list"),
    ]
    if has_role(user, MANAGE_ORGANISATION):
        items.append(NavItem(_("Administration"), reverse("admin:index"), "admin"))
    return items


def shell(request):
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    return {
        "nav_items": navigation_for(user) if user is not None else [],
        "current_url_name": match.url_name if match else "",
    }
