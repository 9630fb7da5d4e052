"""Every URL of the product, and who may reach it, how it is scoped, which HTTP methods it
accepts and what protects the ones that change something.

`tests/security/test_url_walk.py` walks this table over HTTP with real objects; a URL missing
here, an entry for a URL that no longer exists, or a URL accepting other methods than declared
fails the suite. The admin's pages are listed in `ADMIN_SITE` and `ADMIN_MODELS`.
"""

from __future__ import annotations

from dataclasses import dataclass

from hailong.organisation.models import Role

# Methods the walk sends to every URL.
PROBED = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
SAFE = frozenset({"GET", "HEAD", "OPTIONS"})

GET = frozenset({"GET"})  # require_GET (HEAD is refused too)
FORM = frozenset({"GET", "POST"})  # require_http_methods(["GET", "POST"])
POST = frozenset({"POST"})  # require_POST
ANY = frozenset(PROBED)  # no method check (Django's own views only; CSRF guards their POST)
VIEW = frozenset({"GET", "HEAD", "OPTIONS"})  # a class-based view with only get()
FORM_VIEW = frozenset({"GET", "HEAD", "POST", "PUT", "OPTIONS"})  # Django's FormView

PUBLIC = "public"
ALL = frozenset(Role.values)
ADMIN = frozenset({Role.ADMIN})
MANAGERS = frozenset({Role.ADMIN, Role.SECRETARY})  # questionnaires, campaigns, imports
PRINTERS = frozenset({Role.ADMIN, Role.SECRETARY, Role.CLERK})  # paper forms, posters, intake

# Protection of the methods that change something.
CSRF = "csrf"  # a session form: Django's CSRF token
KEY = "api key"  # Authorization: Bearer <key>, CSRF-exempt because a session is not enough
DEVICE = "device token"  # Authorization: Device <token> (kiosk tablets)
NOTHING = "changes nothing"  # no method accepted changes anything (the walk checks)

LOGIN = "login"  # anonymous: 302 to /accounts/login/?next=<the URL>


@dataclass(frozen=True)
class Route:
    who: frozenset[str] | str  # PUBLIC, or the roles that may open it
    # "list": other units' objects do not appear; "detail": another unit's object is a 404;
    # "role": the role decides, not a scope (shared catalogue, the person's own files);
    # "public": no data of any unit beyond public names (or the person's own account).
    scope: str
    methods: frozenset[str]
    guard: str  # CSRF, KEY, DEVICE or NOTHING
    anonymous: int | str = LOGIN  # what an anonymous visitor gets (first accepted method)
    # The requester's own (exports, uploads): someone else of the same role gets a 404.
    own: bool = False
    # Roles that may POST when narrower than `who` (the others get 403).
    writers: frozenset[str] | None = None
    note: str = ""  # why a route is declared as it is


ROUTES: dict[str, Route] = {
    "home": Route(ALL, "list", GET, NOTHING),
    "login": Route(
        PUBLIC,
        "public",
        FORM_VIEW,
        CSRF,
        200,
        note="Django's LoginView (its FormView takes PUT as POST)",
    ),
    "logout": Route(PUBLIC, "public", frozenset({"POST", "OPTIONS"}), CSRF, 302),
    "password_change": Route(ALL, "public", FORM, CSRF),
    "unlock": Route(ADMIN, "role", POST, CSRF),
    # Django's set_language: only a POST sets the language (a cookie), GET redirects.
    "set_language": Route(PUBLIC, "public", ANY, CSRF, 302),
    # Dossier, customer and catalogue files: the uploader's own, role-gated by their kind.
    "file_import_detail": Route(MANAGERS, "role", GET, NOTHING, own=True),
    "file_import_confirm": Route(MANAGERS, "role", POST, CSRF, own=True),
    "file_import_cancel": Route(MANAGERS, "role", POST, CSRF, own=True),
    "organisation:unit_list": Route(ALL, "list", GET, NOTHING),
    "organisation:unit_detail": Route(ALL, "detail", GET, NOTHING),
    "organisation:service_list": Route(ALL, "list", GET, NOTHING),
    "organisation:service_detail": Route(ALL, "detail", GET, NOTHING),
    "organisation:point_list": Route(ALL, "list", GET, NOTHING),
    "organisation:point_detail": Route(ALL, "detail", GET, NOTHING),
    "organisation:staff_list": Route(ALL, "list", GET, NOTHING),
    "organisation:catalogue_import": Route(MANAGERS, "role", FORM, CSRF),
    # Citizens' pages: no login, and nothing of any unit beyond its public name.
    "public:survey_form": Route(PUBLIC, "public", FORM, CSRF, 200),
    "public:thanks": Route(PUBLIC, "public", GET, NOTHING, 200),
    "public:invitation": Route(PUBLIC, "public", FORM, CSRF, 200),  # a signed single-use link
    "public:kiosk": Route(PUBLIC, "public", GET, NOTHING, 200),
    "public:kiosk_sw": Route(PUBLIC, "public", GET, NOTHING, 200),
    "public:kiosk_config": Route(PUBLIC, "public", GET, NOTHING, 401),  # device token
    "public:kiosk_taps": Route(PUBLIC, "public", POST, DEVICE, 401),
    "public:kiosk_status": Route(PUBLIC, "public", POST, DEVICE, 401),
    "public:case_form": Route(PUBLIC, "public", FORM, CSRF, 200),
    # The case's own pages open only for the browser that proved it may (code + PIN, the
    # emailed link, or filing it): anonymously, without that proof, they redirect or 404.
    "public:case_filed": Route(PUBLIC, "public", GET, NOTHING, 302),
    "public:case_receipt": Route(PUBLIC, "public", GET, NOTHING, 404),
    "public:case_lookup": Route(PUBLIC, "public", FORM, CSRF, 200),
    "public:case_link": Route(PUBLIC, "public", GET, NOTHING, 302),
    "public:case_status": Route(PUBLIC, "public", GET, NOTHING, 302),
    "public:case_rate": Route(PUBLIC, "public", POST, CSRF, 302),  # and session-proven
    "public:case_file": Route(PUBLIC, "public", GET, NOTHING, 404),
    # The API authenticates systems by key, scoped to units (hailong/api/tests).
    "api:responses": Route(PUBLIC, "public", POST, KEY, 401),
    "api:dossiers": Route(PUBLIC, "public", POST, KEY, 401),
    "api:cases": Route(PUBLIC, "public", POST, KEY, 401),
    "api:case": Route(PUBLIC, "public", GET, NOTHING, 401),  # key or staff session, scoped
    "api:indices": Route(PUBLIC, "public", GET, NOTHING, 401),  # key or staff session, scoped
    "api:openapi": Route(PUBLIC, "public", GET, NOTHING, 200),
    # Questionnaires are the organisation's shared catalogue: a role decides, not a scope.
    "surveys:questionnaire_list": Route(MANAGERS, "role", GET, NOTHING),
    "surveys:questionnaire_import": Route(MANAGERS, "role", POST, CSRF),
    "surveys:questionnaire_new": Route(MANAGERS, "role", FORM, CSRF),
    "surveys:section_add": Route(MANAGERS, "role", POST, CSRF),
    "surveys:version_detail": Route(MANAGERS, "role", GET, NOTHING),
    "surveys:version_edit": Route(MANAGERS, "role", FORM, CSRF),
    "surveys:version_compare": Route(MANAGERS, "role", GET, NOTHING),
    "surveys:version_export": Route(MANAGERS, "role", GET, NOTHING),
    "surveys:item_add": Route(MANAGERS, "role", FORM, CSRF),
    "surveys:item_edit": Route(MANAGERS, "role", FORM, CSRF),
    "surveys:item_delete": Route(MANAGERS, "role", POST, CSRF),
    "surveys:version_action": Route(MANAGERS, "role", POST, CSRF),
    "surveys:campaign_list": Route(ALL, "list", GET, NOTHING),
    "surveys:campaign_add": Route(MANAGERS, "role", FORM, CSRF),
    "surveys:campaign_detail": Route(ALL, "detail", GET, NOTHING),
    "surveys:campaign_edit": Route(MANAGERS, "detail", FORM, CSRF),
    "surveys:campaign_status": Route(MANAGERS, "detail", POST, CSRF),
    "surveys:campaign_invite": Route(MANAGERS, "detail", POST, CSRF),
    # Regular customers belong to the unit that serves them (issue 10 #7).
    "surveys:customer_list": Route(MANAGERS, "list", FORM, CSRF),
    "surveys:paper_home": Route(PRINTERS, "list", GET, NOTHING),
    "surveys:paper_print": Route(PRINTERS, "detail", FORM, CSRF),
    "surveys:paper_entry": Route(PRINTERS, "detail", FORM, CSRF),
    "surveys:paper_batch_pdf": Route(PRINTERS, "detail", GET, NOTHING),
    "surveys:point_poster": Route(PRINTERS, "detail", GET, NOTHING),
    "surveys:point_collection": Route(ALL, "detail", GET, NOTHING),
    # Imports are the uploader's own (administrators see all); role-gated for the rest.
    "surveys:import_list": Route(MANAGERS, "role", FORM, CSRF),
    "surveys:import_detail": Route(MANAGERS, "role", GET, NOTHING, own=True),
    "surveys:import_confirm": Route(MANAGERS, "role", POST, CSRF, own=True),
    "surveys:import_cancel": Route(MANAGERS, "role", POST, CSRF, own=True),
    "surveys:dossier_register": Route(ALL, "list", FORM, CSRF, writers=MANAGERS),
    "surveys:response_list": Route(ALL, "list", GET, NOTHING),
    "surveys:response_export": Route(ALL, "list", GET, NOTHING),
    "surveys:response_detail": Route(ALL, "detail", GET, NOTHING),
    "surveys:response_correct": Route(MANAGERS, "detail", FORM, CSRF),
    # Background exports are their requester's own: others get a 404 whatever their scope.
    "surveys:export_list": Route(ALL, "list", FORM, CSRF),
    "surveys:export_detail": Route(ALL, "detail", GET, NOTHING, own=True),
    "surveys:export_download": Route(ALL, "detail", GET, NOTHING, own=True),
    # Feedback and complaint cases (hailong/feedback/tests check the workflow's own scope).
    "feedback:case_list": Route(ALL, "list", GET, NOTHING),
    "feedback:case_new": Route(PRINTERS, "role", FORM, CSRF),
    "feedback:case_stats": Route(ALL, "list", GET, NOTHING),
    # The leaders' dashboard, for every role over its own scope; its downloads are the same URL
    # (?download=<table>&format=xlsx|csv), scoped the same way (hailong/analytics/tests).
    "analytics:dashboard": Route(ALL, "list", GET, NOTHING),
    "feedback:deadline_rules": Route(ALL, "list", GET, NOTHING),  # the law's rules: no unit data
    "feedback:case_detail": Route(ALL, "detail", GET, NOTHING),
    "feedback:case_receipt": Route(ALL, "detail", GET, NOTHING),
    "feedback:case_attachment": Route(ALL, "detail", GET, NOTHING),
    # A GET (the address bar after a refused form) redirects to the case page.
    "feedback:case_action": Route(ALL, "detail", FORM, CSRF),
    "feedback:case_officers": Route(ALL, "detail", GET, NOTHING),
}

# The admin is for the administrator only (hailong/core/admin_base.py): everyone else, signed
# in or not, is sent to its login page. Its own pages, by URL name, with the methods Django
# lets through (its function views check none: the CSRF middleware guards the unsafe ones,
# which the walk checks on every model page).
ADMIN_SITE = {
    "admin:index": ANY,
    "admin:login": FORM_VIEW,
    "admin:logout": frozenset({"POST", "OPTIONS"}),
    "admin:password_change": FORM_VIEW,
    "admin:password_change_done": VIEW,
    "admin:jsi18n": VIEW,
    "admin:autocomplete": VIEW,
    "admin:view_on_site": ANY,
    "admin:app_list": ANY,
    # The staff admin is Django's UserAdmin: setting a person's password, for one person.
    "admin:auth_user_password_change": ANY,
}
# Every registered model, with its five pages (changelist, add, change, delete, history); the
# walk fails when a model is registered or unregistered without changing this list.
ADMIN_MODELS = [
    "api.apitoken",
    "axes.accessattempt",
    "axes.accessfailurelog",
    "axes.accesslog",
    "core.auditentry",
    "core.calendarday",
    "feedback.deadlinerule",
    "organisation.service",
    "organisation.servicefield",
    "organisation.servicepoint",
    "organisation.staff",
    "organisation.unit",
    "surveys.kioskdevice",
    "surveys.regularcustomer",
]
