from __future__ import annotations

import unicodedata

from django import forms
from django.conf import settings
from django.core import validators
from django.utils.formats import number_format
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


class GroupedMaxLengthValidator(validators.MaxLengthValidator):
    """Django's length check with the survey's wording and the numbers grouped as the page
    writes them ("tối đa 10.000 ký tự (hiện có 10.001)"): Django's own message prints 10001."""

    def __call__(self, value):
        length = self.clean(value)
        if length > self.limit_value:
            raise forms.ValidationError(
                _("Please write at most %(max)s characters (now %(n)s)."),
                code=self.code,
                params={
                    "max": number_format(self.limit_value, force_grouping=True),
                    "n": number_format(length, force_grouping=True),
                },
            )


class LongTextField(forms.CharField):
    """Free text (a description, a comment) whose limit the page says and counts as people
    count letters: the NFC form, so a Vietnamese letter typed decomposed on a Mac counts once.
    No maxlength on the textarea: browsers cut a pasted text there without a word (and count
    UTF-16 units); over the limit, the form refuses with the length and keeps the text."""

    says_limit = True

    def __init__(self, *, max_length: int, **kwargs):
        kwargs.setdefault("widget", forms.Textarea)
        super().__init__(max_length=max_length, **kwargs)
        self.validators = [
            GroupedMaxLengthValidator(v.limit_value)
            if isinstance(v, validators.MaxLengthValidator)
            else v
            for v in self.validators
        ]

    def to_python(self, value):
        return unicodedata.normalize("NFC", super().to_python(value))

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs
