from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from hailong.core.forms import TableFileField
from hailong.organisation.models import ServiceField
from hailong.organisation.selectors import in_vietnamese_order


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "The username or password is not correct. Check them and try again "
            "(letters in the password must match in case)."
        ),
        "inactive": _("This account has been disabled. Please contact the administrator."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username")
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        )
        self.fields["password"].label = _("Password")
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class StaffPasswordChangeForm(PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Current password")
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password2"].label = _("New password again")


class ServiceSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    field = forms.ModelChoiceField(
        label=_("Field"),
        queryset=ServiceField.objects.none(),
        required=False,
        empty_label=_("All fields"),
    )

    def __init__(self, *args, fields=None, **kwargs):
        super().__init__(*args, **kwargs)
        if fields is not None:
            self.fields["field"].queryset = fields
            self.fields["field"].choices = [("", self.fields["field"].empty_label)] + [
                (f.pk, f.name) for f in in_vietnamese_order(fields)
            ]
        self.fields["q"].widget.attrs.update(
            {"placeholder": _("Code or name, with or without accents"), "type": "search"}
        )


class CatalogueUploadForm(forms.Form):
    file = TableFileField(
        label=_("CSV or Excel file"),
        help_text=_(
            "Columns: code (e.g. 1.001193), name, field (lĩnh vực), units (unit codes separated "
            "by “;” or “,”), time_limit_days, time_limit_kind (working or calendar)."
        ),
    )
