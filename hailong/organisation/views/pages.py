"""Staff pages of the organisation: units, procedures, service points, staff.

Every page reads through a selector scoped to the signed-in person; an object outside their
scope is a 404, not a 403, so its existence is not disclosed.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from hailong.organisation import selectors
from hailong.organisation.forms import ServiceSearchForm
from hailong.organisation.permissions import IMPORT_CATALOGUE, PRINT_MATERIALS, has_role

PAGE_SIZE = 50


@login_required
@require_GET
def unit_list(request):
    nodes = selectors.unit_tree_for(request.user)
    return render(request, "organisation/unit_list.html", {"nodes": nodes})


@login_required
@require_GET
def unit_detail(request, pk: int):
    unit = selectors.unit_visible_to(request.user, pk)
    if unit is None:
        raise Http404
    visible = selectors.units_visible_to(request.user)
    context = {
        "unit": unit,
        "ancestors": visible.filter(pk__in=selectors.ancestor_ids(unit)[:-1]).order_by("depth"),
        "children": visible.filter(parent=unit).order_by("sort_order", "name"),
        "services": selectors.services_of_unit(unit).filter(is_active=True),
        "points": unit.service_points.all(),
        "people": selectors.staff_visible_to(request.user).filter(units=unit),
    }
    return render(request, "organisation/unit_detail.html", context)


@login_required
@require_GET
def service_list(request):
    form = ServiceSearchForm(request.GET or None, fields=selectors.fields_in_use(request.user))
    query, field_id = "", None
    if form.is_valid():
        query = form.cleaned_data["q"]
        field_id = form.cleaned_data["field"].pk if form.cleaned_data["field"] else None
    services = selectors.services_search(request.user, query=query, field_id=field_id)
    page = Paginator(services, PAGE_SIZE).get_page(request.GET.get("page"))
    template = (
        "organisation/_service_rows.html"
        if request.headers.get("HX-Request")
        else "organisation/service_list.html"
    )
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "query": query,
            "can_import": has_role(request.user, IMPORT_CATALOGUE),
        },
    )


@login_required
@require_GET
def service_detail(request, pk: int):
    service = selectors.services_visible_to(request.user).filter(pk=pk).first()
    if service is None:
        raise Http404
    units = service.units.filter(pk__in=selectors.units_visible_to(request.user))
    return render(request, "organisation/service_detail.html", {"service": service, "units": units})


@login_required
@require_GET
def point_list(request):
    points = selectors.service_points_visible_to(request.user).order_by("unit__path", "code")
    points = list(points.select_related("unit"))
    # What the apps above add to each row (surveys: the campaign each counter serves today).
    for annotate in selectors.POINT_LIST_ANNOTATORS:
        annotate(points)
    return render(request, "organisation/point_list.html", {"points": points})


@login_required
@require_GET
def point_detail(request, pk: int):
    point = selectors.service_points_visible_to(request.user).filter(pk=pk).first()
    if point is None:
        raise Http404

    return render(
        request,
        "organisation/point_detail.html",
        {
            "point": point,
            "survey_url": request.build_absolute_uri(
                reverse("public:survey_form", args=[point.code])
            ),
            "can_print": has_role(request.user, PRINT_MATERIALS),
        },
    )


@login_required
@require_GET
def staff_list(request):
    people = selectors.in_vietnamese_order(
        selectors.staff_visible_to(request.user).filter(is_active=True), "full_name"
    )
    return render(request, "organisation/staff_list.html", {"people": people})
