"""Request bodies checked against the OpenAPI document itself, so that what the document says a
body may be (types, required fields, lengths, minimums, enums) is exactly what the views
accept: a client that follows the document is never refused for a reason it could not read
there, and one that does not gets a 422 naming the field. Only the part of JSON Schema the
document uses is implemented (a test walks the document for any other keyword)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from hailong.api.openapi import OPENAPI
from hailong.surveys.file_import import parse_moment

# The keywords this checker understands; `description`, `examples` and `default` are
# documentation. The formats `date` and `date-time` are what `parse_moment` reads.
KEYWORDS = {
    "type",
    "required",
    "properties",
    "additionalProperties",
    "items",
    "oneOf",
    "anyOf",
    "enum",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "description",
    "examples",
    "default",
    "format",
}

_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def _type_message(expected: str) -> str:
    return {
        "object": _("Must be a JSON object."),
        "array": _("Must be a list."),
        "string": _("Must be text (a JSON string)."),
        "integer": _("Must be a whole number."),
        "boolean": _("Must be true or false."),
    }.get(expected, _("Wrong type."))


def _problem(schema: dict, value: Any) -> str | None:
    """Why `value` does not fit `schema` at this level (nested objects are walked apart)."""
    expected = schema.get("type")
    if expected is not None:
        kinds = expected if isinstance(expected, list) else [expected]
        if not any(_TYPES[kind](value) for kind in kinds):
            return _type_message(kinds[0])
    if "enum" in schema and value not in schema["enum"]:
        choices = ", ".join(str(c) for c in schema["enum"] if c is not None)
        return _("One of: %(choices)s.") % {"choices": choices}
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            return _("Must not be empty.")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            return _("At most %(count)s characters.") % {"count": schema["maxLength"]}
    if isinstance(value, int) and "minimum" in schema and value < schema["minimum"]:
        return _("At least %(minimum)s.") % {"minimum": schema["minimum"]}
    if isinstance(value, int) and "maximum" in schema and value > schema["maximum"]:
        return _("At most %(maximum)s.") % {"maximum": schema["maximum"]}
    moment = schema.get("format") in ("date", "date-time") and isinstance(value, str)
    if moment and parse_moment(value) is None:
        return _("Not a date and time (ISO 8601).")
    if "anyOf" in schema:
        problems = [_problem(s, value) for s in schema["anyOf"]]
        if all(problems):
            return problems[0]
    if "oneOf" in schema and sum(_problem(s, value) is None for s in schema["oneOf"]) != 1:
        return _("Must be text or a list of texts.")
    items = schema.get("items")
    if isinstance(value, list) and items and any(_problem(items, v) for v in value):
        return _("Must be a list of texts.")
    return None


def _walk(schema: dict, value: Any, path: str, errors: dict[str, str]) -> None:
    problem = _problem(schema, value)
    if problem:
        errors[path or "body"] = problem
        return
    if not isinstance(value, dict):
        return
    prefix = f"{path}." if path else ""
    for name in schema.get("required", []):
        if name not in value:
            errors[prefix + name] = _("Required.")
    properties = schema.get("properties", {})
    for name, item in value.items():
        if name in properties:
            _walk(properties[name], item, prefix + name, errors)
        elif isinstance(schema.get("additionalProperties"), dict):
            _walk(schema["additionalProperties"], item, prefix + name, errors)


def body_errors(schema_name: str, body: Any) -> dict[str, str]:
    """The problems of a request body against components.schemas[schema_name], by field."""
    errors: dict[str, str] = {}
    _walk(OPENAPI["components"]["schemas"][schema_name], body, "", errors)
    return errors
