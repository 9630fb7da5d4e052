"""A service point's survey collection: which campaign its QR form and kiosk serve today, and
its tablets (last contact, taps kept on them because the server refused them)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from hailong.organisation.permissions import role_required
from hailong.organisation.selectors import service_points_visible_to
from hailong.surveys.permissions import ALL_STAFF
from hailong.surveys.selectors.kiosk import point_collection


@role_required(ALL_STAFF)
@require_GET
def point_collection_page(request, pk: int):
    point = service_points_visible_to(request.user).filter(pk=pk).select_related("unit").first()
    if point is None:
        raise Http404
    collection = point_collection(point, on_day=timezone.localdate())
    return render(
        request, "surveys/point_collection.html", {"point": point, "collection": collection}
    )
