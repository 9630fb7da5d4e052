from __future__ import annotations

from django.http import HttpRequest, QueryDict

from hailong.core.request_context import client_ip, reset_current_ip, set_current_ip
from hailong.core.text import nfc


class RequestContextMiddleware:
    """Remembers the client IP for the audit log for the duration of the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        token = set_current_ip(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            reset_current_ip(token)


def _normalized(query: QueryDict) -> QueryDict:
    copy = QueryDict(mutable=True, encoding=query.encoding)
    for key, values in query.lists():
        copy.setlist(nfc(key), [nfc(v) for v in values])
    copy._mutable = False
    return copy


class UnicodeNormalizationMiddleware:
    """NFC-normalises every submitted text value (see hailong.core.text for why). Trimming is
    left to form fields (Django's CharField strips by default; password fields do not)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if request.GET:
            request.GET = _normalized(request.GET)
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            request.POST = _normalized(request.POST)
        return self.get_response(request)
