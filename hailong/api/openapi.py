"""The OpenAPI 3.1 document of /api/v1, written by hand next to the views it describes.

It is also the views' input check: request bodies are validated against these schemas
(`hailong.api.validation`), so the types, required fields, lengths and enums written here are
exactly what is accepted. Tests check that every documented path is served and every served
path documented, and schemathesis (`hailong/api/tests/test_schemathesis.py`) sends generated
requests and checks every answer against this document."""

from hailong.feedback.models import CaseChannel, CaseKind, CaseStatus, ComplaintInstance

# Every answer about a case has these (lookup_url and lookup_pin are added when created).
CASE_FIELDS = [
    "code",
    "kind",
    "channel",
    "status",
    "unit",
    "handling_unit",
    "service",
    "dossier_code",
    "received_at",
    "accept_due_on",
    "answer_due_on",
    "due_on",
    "answered_on",
    "rating",
    "instance",
]

# A complaint's first or second instance (Luật Khiếu nại 2011 art. 28 and 37: the second has
# longer periods); any other kind is always "first".
INSTANCE = {
    "enum": list(ComplaintInstance.values),
    "default": ComplaintInstance.FIRST,
    "description": "For a complaint: `second` when it is about a first-instance decision "
    "(longer periods). Only a complaint may be `second`.",
}

# A moment as connected systems send it: what `parse_moment` reads (an offset-less time is
# Vietnam time; a date alone is its midnight), or null for "not given".
MOMENT = {
    "anyOf": [
        {"type": "string", "format": "date-time"},
        {"type": "string", "format": "date"},
        {"type": "null"},
    ],
    "description": "ISO 8601 date-time or date; without an offset, Vietnam time (UTC+7).",
}

IDEMPOTENCY_HEADER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "At most 60 characters; takes precedence over the `idempotency_key` field.",
    "schema": {"type": "string", "maxLength": 60},
}

# Django's BigAutoField: a larger id can be no campaign (and would overflow the database).
MAX_ID = 2**63 - 1

ERROR = {
    "type": "object",
    "required": ["error", "message"],
    "additionalProperties": False,
    "properties": {
        "error": {"type": "string", "description": "Machine-readable reason."},
        "message": {"type": "string", "description": "The reason in Vietnamese."},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "string"},
            "description": "Reason per field or question code.",
        },
    },
}


# One figure of the indices document (hailong.analytics.indices.figure_json).
_PERCENT = {"type": ["number", "null"], "minimum": 0, "maximum": 100}
FIGURE = {
    "type": "object",
    "required": ["code", "n", "index", "ci_low", "ci_high", "sufficient"],
    "properties": {
        "code": {"type": "string"},
        "n": {"type": "integer", "minimum": 0},
        "index": _PERCENT,
        "ci_low": _PERCENT,
        "ci_high": _PERCENT,
        "sufficient": {"type": "boolean"},
        "mean": {"type": ["number", "null"]},
        "left_out": {"type": "array", "items": {"type": "string"}},
    },
}
INDICES = {
    "type": "object",
    "required": ["period", "unit", "questionnaire", "responses", "overall"],
    "properties": {
        "period": {"type": "string"},
        "unit": {"type": ["string", "null"]},
        "questionnaire": {"type": "string"},
        "responses": {"type": "integer", "minimum": 0},
        "overall": {"$ref": "#/components/schemas/Figure"},
    },
    "additionalProperties": {"$ref": "#/components/schemas/Figure"},
}


def _errors(*codes: int) -> dict:
    texts = {
        400: "Not a JSON object of storable text: malformed JSON or UTF-8, NUL (\\u0000) or "
        "a lone surrogate (\\ud800) in a text, nested too deeply",
        401: "Missing, wrong or revoked key",
        403: "The key may not use this endpoint",
        409: "Duplicate (dossier already evaluated in the campaign, paper serial already entered)",
        404: "Nothing at this address",
        413: "Body too large",
        422: "Invalid data, or an idempotency key already used with a different body "
        "(`idempotency_key_reused`); nothing stored",
        429: "Too many requests",
    }
    return {
        str(code): {
            "description": texts[code],
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
        for code in codes
    }


OPENAPI = {
    "openapi": "3.1.0",
    "info": {
        "title": "Hài Lòng API",
        "version": "1",
        "description": (
            "Survey responses, dossiers and feedback cases from integrating systems (e.g. the "
            "one-stop-shop software). Authenticate with `Authorization: Bearer <key>`; keys "
            "are issued by the administrator, scoped to endpoints and units, and shown once."
        ),
    },
    "servers": [{"url": "/"}],
    "security": [{"bearer": []}],
    "paths": {
        "/api/v1/responses": {
            "post": {
                "operationId": "createResponse",
                "summary": "Store one survey response",
                "description": (
                    "Idempotent: a repeated request with the same `Idempotency-Key` header (or "
                    "`idempotency_key` field, at most 60 characters) and the same body returns "
                    "the response stored the first time (200); the same key with a different "
                    "body is refused (422 `idempotency_key_reused`). A dossier code already "
                    "evaluated in the campaign at the same unit is refused (409). "
                    "`dossier_linked` is true when a dossier with this code is registered at "
                    "the response's unit or below it. `submitted_at`: within the last three "
                    "years, at most 5 minutes ahead."
                ),
                "parameters": [IDEMPOTENCY_HEADER],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/ResponseIn"}}
                    },
                },
                "responses": {
                    "201": {
                        "description": "Stored",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/ResponseOut"}
                            }
                        },
                    },
                    "200": {
                        "description": "Already stored (same idempotency key)",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/ResponseOut"}
                            }
                        },
                    },
                    **_errors(400, 401, 403, 409, 413, 422, 429),
                },
            }
        },
        "/api/v1/dossiers": {
            "post": {
                "operationId": "upsertDossier",
                "summary": "Create or update a dossier (by its code)",
                "description": (
                    "A code names a dossier within the key's units: the one registered at "
                    "`unit`, else the key's only dossier with this code (it moved), else a new "
                    "one; another unit's dossier with the same code is never touched. "
                    "Responses already given with this code at the dossier's unit or above are "
                    "linked to it. `received_at` within the last five years, at most 5 minutes "
                    "ahead; `due_at` and `returned_at` not before the day received; "
                    "`returned_at` not in the future."
                ),
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/DossierIn"}}
                    },
                },
                "responses": {
                    "201": {
                        "description": "Created",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/DossierOut"}
                            }
                        },
                    },
                    "200": {
                        "description": "Updated",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/DossierOut"}
                            }
                        },
                    },
                    **_errors(400, 401, 403, 413, 422, 429),
                },
            }
        },
        "/api/v1/cases": {
            "post": {
                "operationId": "createCase",
                "summary": "Open a feedback or complaint case (hotline, email, portal relays)",
                "description": (
                    "Deadlines follow the agency's rules for the kind. Contact details are "
                    "stored only with `contact.consent: true`; a complaint or denunciation "
                    "must name the person. Send an `Idempotency-Key` header (at most 60 "
                    "characters) to retry safely; the same key with a different body is "
                    "refused (422 `idempotency_key_reused`)."
                ),
                "parameters": [IDEMPOTENCY_HEADER],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/CaseIn"}}
                    },
                },
                "responses": {
                    "201": {
                        "description": "Created",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Case"}}
                        },
                    },
                    "200": {
                        "description": "Already created with this idempotency key",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Case"}}
                        },
                    },
                    **_errors(400, 401, 403, 413, 422, 429),
                },
            }
        },
        "/api/v1/cases/{code}": {
            "get": {
                "operationId": "readCase",
                "summary": "The state and deadlines of a case of the key's units",
                "parameters": [
                    {
                        "name": "code",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"},
                    }
                ],
                "responses": {
                    "200": {
                        "description": "The case",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Case"}}
                        },
                    },
                    "404": {
                        "description": "No such case within the key's units",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                        },
                    },
                    **_errors(401, 403, 429),
                },
            }
        },
        "/api/v1/indices": {
            "get": {
                "operationId": "readIndices",
                "summary": "Satisfaction indices of a period within the key's units",
                "description": (
                    "SIPAS-style indices from the rollups: `overall`, then each element and "
                    "each criterion by its code; `index`, `ci_low` and `ci_high` (the 95% "
                    "interval: Wilson for a criterion, MOVER for an element and the overall) "
                    "in percent with 2 decimals, `n` the valid answers behind the figure, "
                    "`sufficient` false below the minimum sample. The same document as "
                    "`manage.py indices --json`."
                ),
                "parameters": [
                    {
                        "name": "period",
                        "in": "query",
                        "required": True,
                        "description": "2026, 2026-Q1, 2026-03, Quý 1/2026, 03/2026, a range "
                        "01/01/2026 - 31/03/2026",
                        "schema": {"type": "string", "minLength": 1, "maxLength": 60},
                    },
                    {
                        "name": "unit",
                        "in": "query",
                        "required": False,
                        "description": "A unit's code: that unit and every unit below it",
                        "schema": {"type": "string", "maxLength": 60},
                    },
                    {
                        "name": "questionnaire",
                        "in": "query",
                        "required": False,
                        "description": "A questionnaire's code (default sipas)",
                        "schema": {"type": "string", "maxLength": 40},
                    },
                ],
                "responses": {
                    "200": {
                        "description": "The indices",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Indices"}}
                        },
                    },
                    "400": {
                        "description": "A parameter holds a NUL character (\\u0000)",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                        },
                    },
                    "404": {
                        "description": "No such unit within the key's units",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                        },
                    },
                    **_errors(401, 403, 422, 429),
                },
            }
        },
        "/api/v1/openapi.json": {
            "get": {
                "operationId": "openapi",
                "summary": "This document",
                "security": [],
                "responses": {"200": {"description": "OpenAPI 3.1 document"}},
            }
        },
    },
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Error": ERROR,
            "Figure": FIGURE,
            "Indices": INDICES,
            "CaseIn": {
                "type": "object",
                "required": ["kind", "unit", "content"],
                "properties": {
                    "kind": {"enum": list(CaseKind.values)},
                    "unit": {
                        "type": "string",
                        "minLength": 1,
                        "description": "Code of the unit concerned",
                    },
                    "channel": {
                        "enum": [c for c in CaseChannel.values if c != CaseChannel.SURVEY],
                        "default": "api",
                    },
                    "title": {"type": "string"},
                    "content": {
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 10000,
                        "description": "Not only spaces.",
                    },
                    "remedy_sought": {"type": "string"},
                    "service": {"type": "string", "description": "National procedure code"},
                    "dossier_code": {"type": "string"},
                    "received_at": MOMENT,
                    "instance": INSTANCE,
                    "idempotency_key": {"type": "string", "maxLength": 60},
                    "contact": {
                        "type": "object",
                        "properties": {
                            "name": {"type": "string"},
                            "phone": {"type": "string"},
                            "email": {"type": "string"},
                            "address": {"type": "string"},
                            "consent": {"type": "boolean"},
                        },
                    },
                },
            },
            "Case": {
                "type": "object",
                "required": CASE_FIELDS,
                "additionalProperties": False,
                "properties": {
                    "code": {"type": "string", "description": "Tracking code for the citizen"},
                    "kind": {"enum": list(CaseKind.values)},
                    "channel": {"enum": list(CaseChannel.values)},
                    "status": {"enum": list(CaseStatus.values)},
                    "unit": {"type": "string"},
                    "handling_unit": {"type": "string"},
                    "service": {"type": ["string", "null"]},
                    "dossier_code": {"type": ["string", "null"]},
                    "received_at": {"type": "string", "format": "date-time"},
                    "accept_due_on": {"type": ["string", "null"], "format": "date"},
                    "answer_due_on": {"type": ["string", "null"], "format": "date"},
                    "due_on": {"type": ["string", "null"], "format": "date"},
                    "answered_on": {"type": ["string", "null"], "format": "date"},
                    "rating": {"type": ["integer", "null"], "enum": [1, 2, 3, None]},
                    "instance": INSTANCE,
                    "lookup_url": {"type": "string", "description": "Only when created"},
                    "lookup_pin": {
                        "type": "string",
                        "description": (
                            "Only when created for a named person without a phone: the PIN "
                            "that opens the case with its code; pass it on to the person"
                        ),
                    },
                },
            },
            "ResponseIn": {
                "type": "object",
                "required": ["unit", "answers"],
                "properties": {
                    "questionnaire": {
                        "type": "string",
                        "examples": ["sipas"],
                        "description": "Questionnaire code (its latest published "
                        "version); not needed with `campaign`.",
                    },
                    "campaign": {
                        "type": "integer",
                        "minimum": 1,
                        "maximum": MAX_ID,
                        "description": "Campaign id.",
                    },
                    "unit": {"type": "string", "minLength": 1, "examples": ["PTP"]},
                    "service": {"type": "string", "examples": ["1.001193"]},
                    "dossier_code": {"type": "string"},
                    "submitted_at": MOMENT,
                    "answers": {
                        "type": "object",
                        "description": "Answers by question code: "
                        'the choice code ("4" on the 5-point scale, "0" not '
                        "applicable), a list of codes for multiple choice, text.",
                        "additionalProperties": {
                            "oneOf": [
                                {"type": "string"},
                                {"type": "array", "items": {"type": "string"}},
                            ]
                        },
                    },
                    "comment": {"type": "string"},
                    "idempotency_key": {"type": "string", "maxLength": 60},
                    "contact": {
                        "type": "object",
                        "properties": {
                            "name": {"type": "string"},
                            "phone": {"type": "string"},
                            "consent": {
                                "type": "boolean",
                                "description": "Must be true when a name or phone is given.",
                            },
                        },
                    },
                },
            },
            "ResponseOut": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "status": {"type": "string", "enum": ["created", "duplicate"]},
                    "dossier_linked": {"type": "boolean"},
                },
            },
            "DossierIn": {
                "type": "object",
                "required": ["code", "unit", "received_at"],
                "properties": {
                    "code": {"type": "string", "examples": ["000.00.12.H19-260310-0001"]},
                    "unit": {"type": "string"},
                    "service": {"type": "string"},
                    "received_at": MOMENT,
                    "due_at": MOMENT,
                    "returned_at": MOMENT,
                    "channel": {"type": "string", "enum": ["in_person", "online", "postal"]},
                },
            },
            "DossierOut": {
                "type": "object",
                "properties": {
                    "code": {"type": "string"},
                    "status": {"type": "string", "enum": ["created", "updated"]},
                    "responses_linked": {"type": "integer"},
                },
            },
        },
    },
}
