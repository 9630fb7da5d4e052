"""The dashboard's filters: a GET form whose choices are what the person may see."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hailong.organisation.models import ServiceField
from hailong.organisation.selectors import in_vietnamese_order, unit_choices, units_visible_to
from hailong.surveys.models import Channel
from hailong.surveys.selectors.campaigns import campaigns_visible_to


class DashboardFilterForm(forms.Form):
    period = forms.CharField(
        label=_("Period"),
        required=False,
        help_text=_("E.g. Quý IV/2026, Q4/2026, 10/2026, 2026 or 01/10/2026 - 31/12/2026"),
    )
    unit = forms.TypedChoiceField(label=_("Unit"), required=False, coerce=int, empty_value=None)
    field = forms.TypedChoiceField(label=_("Field"), required=False, coerce=int, empty_value=None)
    procedure = forms.CharField(
        label=_("Procedure code"),
        required=False,
        max_length=40,
        help_text=_("E.g. 1.001193 (optional)"),
    )
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    questionnaire = forms.ChoiceField(label=_("Questionnaire"), required=False)
    campaign = forms.TypedChoiceField(
        label=_("Campaign"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, data, *, scope, questionnaires):
        super().__init__(data)
        self.fields["unit"].choices = [
            ("", _("All units in your scope")),
            *unit_choices(units_visible_to(scope)),
        ]
        fields = in_vietnamese_order(ServiceField.objects.all())
        self.field_objects = {f.pk: f for f in fields}
        self.fields["field"].choices = [("", _("All fields")), *((f.pk, f.name) for f in fields)]
        self.fields["channel"].choices = [("", _("All channels")), *Channel.choices]
        self.fields["questionnaire"].choices = [(q.code, q.name) for q in questionnaires]
        self.fields["campaign"].choices = [
            ("", _("All campaigns")),
            *((c.pk, c.name) for c in campaigns_visible_to(scope).order_by("-starts_on", "name")),
        ]
