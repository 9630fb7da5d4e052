"""The one parser of JSON sent to the product (the API, the kiosk, a questionnaire file).

JSON may carry text that no database column can hold: `\\u0000` (PostgreSQL refuses NUL in
text and jsonb) and a lone surrogate such as `\\ud800` (not a character: encoding it to UTF-8
fails, so the request died with a 500 wherever the text was next written or logged). Both are
refused here, with a reason, before any view sees the data; so is what `json.loads` would
accept but JSON does not (NaN, Infinity) and nesting deep enough to exhaust the stack. Every
JSON entry point reads its body through `json_object_from_request`, so a new one is protected
by using it.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest
from django.utils.translation import gettext as _

# Text no database column stores: NUL and the surrogate code points (never characters).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
MAX_DEPTH = 32  # far more than any body we accept; json.loads would recurse ~1000 deep


def unstorable_text(value: str) -> str | None:
    """Why `value` cannot be stored (NUL or a lone surrogate), or None when it can."""
    found = _UNSTORABLE.search(value)
    if found is None:
        return None
    if found.group() == "\x00":
        return _("The text contains a NUL character (\\u0000), which cannot be stored.")
    return _("The text contains an invalid Unicode character (a lone surrogate such as \\ud800).")


class JsonRejected(Exception):
    """The body is not a JSON object we can store: `status` (400 or 413), `code` and `message`
    (active language) for the error answer."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def _refuse_constant(name: str):
    raise ValueError(name)  # NaN, Infinity, -Infinity: not JSON


def json_value(text: str) -> Any:
    """Parse JSON text, refusing invalid JSON, unstorable text (in keys and values alike) and
    deep nesting. Raises JsonRejected (400)."""
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        raise JsonRejected(400, "malformed", _("The JSON is nested too deeply.")) from None
    except ValueError:
        raise JsonRejected(400, "malformed", _("The body is not valid JSON.")) from None
    _check(value)
    return value


def _check(value: Any) -> None:
    # Iterative walk: the depth is bounded here, not by Python's stack.
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise JsonRejected(400, "malformed", _("The JSON is nested too deeply."))
        if isinstance(item, str):
            texts = [item]
        elif isinstance(item, dict):
            texts = list(item)
            pending.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            texts = []
            pending.extend((v, depth + 1) for v in item)
        else:
            continue
        for text in texts:
            reason = unstorable_text(text)
            if reason:
                raise JsonRejected(400, "unstorable_text", reason)


def json_object_from_request(request: HttpRequest, *, max_bytes: int) -> dict:
    """The request's body as a JSON object (UTF-8), or JsonRejected: 413 over `max_bytes`,
    400 for anything that is not a JSON object of storable text."""
    declared = str(request.META.get("CONTENT_LENGTH") or "0")
    too_large = JsonRejected(413, "too_large", _("The request is too large."))
    if not declared.isdigit():
        raise JsonRejected(400, "malformed", _("The Content-Length header is not a number."))
    if int(declared) > max_bytes:
        raise too_large
    try:
        body = request.body
    except RequestDataTooBig:
        raise too_large from None
    if len(body) > max_bytes:
        raise too_large
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise JsonRejected(400, "malformed", _("The body is not valid UTF-8.")) from None
    value = json_value(text)
    if not isinstance(value, dict):
        raise JsonRejected(400, "malformed", _("The body must be a JSON object."))
    return value


def fingerprint(value: Any) -> str:
    """The SHA-256 of a parsed JSON value in canonical form (keys sorted, no spaces), so the
    same request sent again, however its keys are ordered or spaced, gives the same digest."""
    canonical = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()
