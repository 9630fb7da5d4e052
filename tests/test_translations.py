"""Every visible string is translated into Vietnamese, and the compiled catalogues are current:
the project's own catalogue (makemessages) and the hand-kept overrides of Django's and
django-axes's strings that their own Vietnamese catalogues miss."""

from pathlib import Path

import polib
import pytest
from django.conf import settings

CATALOGUES = [
    Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES" / "django.po",
    Path(settings.BASE_DIR) / "locale_overrides" / "vi" / "LC_MESSAGES" / "django.po",
    Path(settings.BASE_DIR) / "locale_overrides" / "vi" / "LC_MESSAGES" / "djangojs.po",
]


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: f"{p.parts[-4]}/{p.name}")
def test_every_string_has_a_vietnamese_translation(po):
    catalogue = polib.pofile(str(po))
    missing = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert not missing, f"untranslated: {missing[:20]}"
    assert not fuzzy, f"fuzzy (check and unflag): {fuzzy[:20]}"


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: f"{p.parts[-4]}/{p.name}")
def test_the_compiled_catalogue_matches_the_source(po):
    def pairs(catalogue):
        return {
            (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
            for e in catalogue
            if e.msgid and not e.obsolete and "fuzzy" not in e.flags
        }

    assert pairs(polib.pofile(str(po))) == pairs(polib.mofile(str(po.with_suffix(".mo")))), (
        "the .mo is stale: run `make messages`"
    )


def test_django_messages_newer_than_its_catalogue_are_vietnamese(client_for, officer_a):
    from conftest import PASSWORD

    page = (
        client_for(officer_a)
        .post(
            "/accounts/password/",
            {"old_password": PASSWORD, "new_password1": "abc", "new_password2": "abc"},
        )
        .content.decode()
    )
    assert "This password is too short" not in page
    assert "quá ngắn" in page
