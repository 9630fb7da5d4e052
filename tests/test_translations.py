"""Every visible string is translated into Vietnamese, and the compiled catalogue is current."""

from pathlib import Path

import polib
from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def test_every_string_has_a_vietnamese_translation():
    catalogue = polib.pofile(str(PO))
    missing = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert not missing, f"untranslated: {missing[:20]}"
    assert not fuzzy, f"fuzzy (check and unflag): {fuzzy[:20]}"


def test_the_compiled_catalogue_matches_the_source():
    def pairs(catalogue):
        return {
            (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
            for e in catalogue
            if e.msgid and not e.obsolete and "fuzzy" not in e.flags
        }

    source = pairs(polib.pofile(str(PO)))
    compiled = pairs(polib.mofile(str(PO.with_suffix(".mo"))))
    assert source == compiled, "the .mo is stale: run `make messages`"
