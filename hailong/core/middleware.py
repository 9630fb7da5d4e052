from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, QueryDict
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation

from hailong.core.json_body import unstorable_text
from hailong.core.request_context import (
    client_ip,
    reset_current_ip,
    reset_current_origin,
    set_current_ip,
    set_current_origin,
)
from hailong.core.text import nfc


class RequestContextMiddleware:
    """Remembers the client IP (for the audit log) and the request's origin (for limits shared
    by every way in) for the duration of the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        ip = client_ip(request)
        token = set_current_ip(ip)
        origin = set_current_origin(f"ip:{ip}")
        try:
            return self.get_response(request)
        finally:
            reset_current_origin(origin)
            reset_current_ip(token)


def _normalized(query: QueryDict) -> QueryDict:
    copy = QueryDict(mutable=True, encoding=query.encoding)
    for key, values in query.lists():
        copy.setlist(nfc(key), [nfc(v) for v in values])
    copy._mutable = False
    return copy


def _unstorable(query: QueryDict) -> str | None:
    for key, values in query.lists():
        for text in (key, *values):
            reason = unstorable_text(text)
            if reason:
                return reason
    return None


class UnicodeNormalizationMiddleware:
    """NFC-normalises every submitted text value (see hailong.core.text for why). Trimming is
    left to form fields (Django's CharField strips by default; password fields do not).

    A value holding NUL (%00) is refused here with a page saying why: many views read the
    query or the form directly (searches, the survey form, sign-in), and PostgreSQL refuses
    NUL in any text, so the request would end in an error page (SQLite would store it). Lone
    surrogates cannot arrive this way: Django decodes forms and queries with replacement."""

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
            reason = _unstorable(request.GET) or _unstorable(request.POST)
        else:
            reason = _unstorable(request.GET)
        if reason:
            response = render(request, "400.html", {"reason": reason}, status=400)
            response.hailong_reason = reason  # for answers that are not pages (the API's)
            return response
        return self.get_response(request)


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Vietnamese unless the person chose English with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and most office and
    kiosk browsers in Vietnam are set to English out of the box: staff and older citizens would
    get an English page they did not ask for. Only the explicit choice (the cookie) counts."""

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


def csp_header(policy: dict[str, list[str]]) -> str:
    return "; ".join(" ".join([name, *sources]) for name, sources in policy.items())


class ContentSecurityPolicyMiddleware:
    """Sends HAILONG_CSP on every response. No script runs but our own files: the kiosk's
    device token lives in localStorage on the staff pages' origin, so an injected script must
    find no way to run (no inline script, no event handler attribute, no eval).

    A small middleware rather than django-csp: the policy is one fixed string (no nonces, no
    per-view changes), and Django 6.0 brings its own (SECURE_CSP) for when we move to it. In
    DEBUG, Django's own error pages (with inline scripts and styles) are left without it."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = csp_header(settings.HAILONG_CSP)

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        if settings.DEBUG and response.status_code in (404, 500):
            return response
        response.headers.setdefault("Content-Security-Policy", self.header)
        return response
