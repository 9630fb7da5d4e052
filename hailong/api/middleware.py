"""Every answer under /api/ is JSON, errors included.

The views answer their own errors as JSON; what Django answers before or around them (an
unknown path or a code the URL pattern refuses: 404; a wrong method: 405; a body over Django's
own limit: 400; an unhandled error: 500) is an HTML page, which a connected system cannot read
and the OpenAPI document does not describe. This middleware, first in the stack so that it sees
the answers of every other middleware, turns those into the API's error body."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _

API_PREFIX = "/api/"


def _message(status: int) -> tuple[str, str]:
    known = {
        400: ("bad_request", _("The request could not be read.")),
        403: ("forbidden", _("This request is not allowed.")),
        404: ("not_found", _("There is nothing at this address.")),
        405: ("method_not_allowed", _("This address does not accept this method.")),
        413: ("too_large", _("The request is too large.")),
        429: ("rate_limited", _("Too many requests; slow down.")),
    }
    if status in known:
        return known[status]
    if status >= 500:
        return "server_error", _("Something went wrong on our side; please try again later.")
    return "error", _("The request could not be handled.")


def api_error_body(status: int) -> dict:
    with translation.override("vi"):
        code, message = _message(status)
    return {"error": code, "message": message}


class ApiJsonErrorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path_info.startswith(API_PREFIX)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            body = api_error_body(response.status_code)
            # The reason a lower layer gave (e.g. NUL in the query), in the request's language.
            body["message"] = getattr(response, "hailong_reason", body["message"])
            replaced = JsonResponse(
                body,
                status=response.status_code,
                json_dumps_params={"ensure_ascii": False},
            )
            for header in ("Allow", "Retry-After"):
                if header in response:
                    replaced[header] = response[header]
            return replaced
        return response
