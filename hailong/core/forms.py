from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

# The first line of a required drop-down (Django's own is "---------", in no language).
EMPTY_CHOICE = _("— Choose —")


class TableFileField(forms.FileField):
    """A CSV or XLSX upload for any table import: refused before it is read when it is larger
    than HAILONG_IMPORT_MAX_BYTES or not named .csv, .txt or .xlsx."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload is None:
            return upload
        if upload.size > settings.HAILONG_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too large (at most %(mb)d MB).")
                % {"mb": settings.HAILONG_IMPORT_MAX_BYTES // (1024 * 1024)}
            )
        if not upload.name.lower().endswith((".csv", ".txt", ".xlsx")):
            raise forms.ValidationError(_("Choose a .csv or .xlsx file."))
        return upload
