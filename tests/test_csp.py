"""Content-Security-Policy (issue 10 §15): every page, staff, citizens', kiosk and admin, is
sent a policy under which no inline script or event-handler attribute runs, and no template
has one (the browser tests, tests/e2e, fail on any violation the browser reports)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


@pytest.mark.parametrize(
    "url", ["/accounts/login/", "/kiosk/", "/phan-anh/", "/tra-cuu/", "/danh-gia/qa/"]
)
def test_citizens_pages_and_the_kiosk_are_sent_the_policy(client, org, campaign, url):
    page = client.get(url)
    assert (page.status_code, page["Content-Security-Policy"]) == (200, POLICY)


def test_staff_pages_and_the_admin_are_sent_the_policy(client_for, admin_user):
    staff = client_for(admin_user)
    for url in ("/", "/surveys/responses/", "/admin/", "/admin/core/auditentry/"):
        page = staff.get(url)
        assert (page.status_code, page["Content-Security-Policy"]) == (200, POLICY), url


def test_the_kiosk_page_hands_its_words_to_its_script_as_data(client, db):
    html = client.get("/kiosk/").content.decode()
    assert '<script id="kiosk-text" type="application/json">' in html
    assert "window.KIOSK_TEXT" not in html


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)


def test_no_template_has_an_inline_script_or_an_event_handler_attribute():
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text, name = path.read_text(), path.relative_to(TEMPLATES)
        found += [f"{name}: {m.group(0)}" for m in INLINE_SCRIPT.finditer(text)]
        found += [f"{name}: {m.group(0)}" for m in HANDLER.finditer(text)]
    assert found == []
