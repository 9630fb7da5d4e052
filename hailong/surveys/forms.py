from __future__ import annotations

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from hailong.core.forms import EMPTY_CHOICE
from hailong.core.periods import PeriodParseError, parse_period
from hailong.organisation.scope import as_scope
from hailong.organisation.selectors import services_visible_to, unit_choices, units_visible_to
from hailong.surveys.files.questionnaire_json import VERSION_FIELDS
from hailong.surveys.models import (
    Campaign,
    Channel,
    Item,
    Option,
    Questionnaire,
    QuestionnaireVersion,
    VersionStatus,
)
from hailong.surveys.selectors.campaigns import campaigns_visible_to
from hailong.surveys.selectors.kiosk import version_fits_kiosk
from hailong.surveys.selectors.responses import responses_filter


class VersionForm(forms.ModelForm):
    class Meta:
        model = QuestionnaireVersion
        fields = VERSION_FIELDS
        widgets = {
            "issued_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "intro_vi": forms.Textarea(attrs={"rows": 3}),
            "intro_en": forms.Textarea(attrs={"rows": 3}),
            "consent_vi": forms.Textarea(attrs={"rows": 3}),
            "consent_en": forms.Textarea(attrs={"rows": 3}),
            "change_note": forms.Textarea(attrs={"rows": 2}),
        }


class ItemForm(forms.ModelForm):
    class Meta:
        model = Item
        fields = (
            "code",
            "section",
            "order",
            "kind",
            "text_vi",
            "text_en",
            "required",
            "allow_na",
            "is_profile",
            "is_overall",
            "min_value",
            "max_value",
        )
        widgets = {
            "text_vi": forms.Textarea(attrs={"rows": 2}),
            "text_en": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, version=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        self.fields["section"].queryset = version.sections.all()
        self.fields["section"].required = False
        self.fields["section"].empty_label = _("— no section (overall, profile) —")
        if "kind" in self.fields:  # a required choice: Django's "---------" said in words
            kinds = [c for c in self.fields["kind"].choices if c[0] != ""]
            self.fields["kind"].choices = [("", EMPTY_CHOICE), *kinds]

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper()
        clash = self.version.items.filter(code=code).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Another question of this version has this code."))
        return code


class BaseOptionFormSet(forms.BaseInlineFormSet):
    def validate_unique(self):
        """Two choices of one question with the same code: the second is marked, in words.
        (Django's own check says "duplicate data for code ." with the field's name and marks
        no row, so the person cannot tell which one to change.)"""
        seen: set[str] = set()
        clash = False
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            code = form.cleaned_data.get("code")
            if not code:
                continue
            if code in seen:
                form.add_error(
                    "code",
                    _("Another choice already has the code “%(code)s”.") % {"code": code},
                )
                clash = True
            seen.add(code)
        if clash:
            raise forms.ValidationError(
                _("Each choice needs its own code: change the code of the marked row.")
            )


OptionFormSet = inlineformset_factory(
    Item,
    Option,
    formset=BaseOptionFormSet,
    fields=("code", "value", "label_vi", "label_en", "order"),
    extra=2,
    can_delete=True,
)


class ImportQuestionnaireForm(forms.Form):
    file = forms.FileField(label=_("Questionnaire file (JSON)"))


class CampaignForm(forms.ModelForm):
    channels = forms.MultipleChoiceField(
        label=_("Channels open"),
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    take_over = forms.BooleanField(
        label=_("Let this campaign take over"),
        required=False,
        help_text=_(
            "Only where it overlaps an open campaign (same units, channels and days): this one "
            "then serves there instead, and the change is recorded."
        ),
    )

    class Meta:
        model = Campaign
        fields = (
            "name",
            "version",
            "starts_on",
            "ends_on",
            "units",
            "services",
            "channels",
            "target_responses",
            "notes",
        )
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "units": forms.SelectMultiple(attrs={"size": 8}),
            "services": forms.SelectMultiple(attrs={"size": 8}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, units=None, services=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = QuestionnaireVersion.objects.filter(
            status=VersionStatus.PUBLISHED
        ).select_related("questionnaire")
        self.fields["version"].empty_label = EMPTY_CHOICE
        self.fields["version"].label_from_instance = lambda v: (
            f"{v.questionnaire.name} – v{v.number}"
        )

        self.fields["units"].queryset = units
        self.fields["units"].choices = unit_choices(units)
        self.fields["units"].widget = forms.CheckboxSelectMultiple(attrs={"class": "checklist"})
        self.fields["units"].widget.choices = self.fields["units"].choices
        self.fields["services"].queryset = services
        self.fields["services"].required = False
        self.fields["services"].widget.attrs["size"] = 12

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The campaign cannot end before it starts."))
        version = cleaned.get("version")
        kiosk = Channel.KIOSK in (cleaned.get("channels") or [])
        if version and kiosk and not version_fits_kiosk(version):
            # Its taps would all be refused: the tablet shows three faces and nothing else.
            self.add_error(
                "channels",
                _(
                    "The kiosk shows three faces only: this questionnaire version has no "
                    "three-level rating question. Untick the kiosk channel or choose a "
                    "quick-rating questionnaire."
                ),
            )
        return cleaned


class ResponseFilterForm(forms.Form):
    period = forms.CharField(
        label=_("Period"),
        required=False,
        help_text=_("E.g. 2026, Quý 4/2026, 10/2026 or 01/10/2026 - 15/10/2026"),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=None, required=False, empty_label=_("All units")
    )
    service = forms.ModelChoiceField(
        label=_("Procedure"), queryset=None, required=False, empty_label=_("All procedures")
    )
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    campaign = forms.ModelChoiceField(
        label=_("Campaign"), queryset=None, required=False, empty_label=_("All campaigns")
    )
    # Shown to people whose scope is part of the organisation: a unit sees the responses given
    # at its service points and those about the procedures it is responsible for.
    basis = forms.ChoiceField(
        label=_("Which responses"),
        required=False,
        choices=[
            ("", _("Given at our units or about our procedures")),
            ("given", _("Given at our units (counters, kiosks, paper forms)")),
            ("about", _("About procedures our units are responsible for, wherever given")),
        ],
    )

    def __init__(
        self, *args, units=None, services=None, campaigns=None, whole_organisation=False, **kwargs
    ):
        super().__init__(*args, **kwargs)

        self.fields["unit"].queryset = units
        self.fields["unit"].choices = [("", _("All units")), *unit_choices(units)]
        self.fields["service"].queryset = services
        self.fields["campaign"].queryset = campaigns
        self.fields["channel"].choices = [("", _("All channels")), *Channel.choices]
        if whole_organisation:
            del self.fields["basis"]

    def clean_period(self):
        text = self.cleaned_data["period"]
        if not text:
            return None
        try:
            return parse_period(text)
        except PeriodParseError as exc:
            raise forms.ValidationError(str(exc)) from exc

    @property
    def rejected(self) -> bool:
        """Filters were given and one is not valid (a period such as "Quý 5/2026")."""
        return self.is_bound and not self.is_valid()

    def responses(self, user):
        """The responses these filters select within the person's scope; none when a filter
        is rejected, so that neither the list under the error nor an export is taken for the
        filtered answer."""
        if self.rejected:
            return responses_filter(user).none()
        filters = self.cleaned_data if self.is_bound else {}
        return responses_filter(
            user,
            basis=filters.get("basis") or "",
            period=filters.get("period"),
            unit=filters.get("unit"),
            service=filters.get("service"),
            channel=filters.get("channel") or "",
            campaign=filters.get("campaign"),
        )


def response_filter_form(user, data) -> ResponseFilterForm:
    """The filters of the response list and its exports, offering what the person may see."""
    scope = as_scope(user)
    return ResponseFilterForm(
        data or None,
        units=units_visible_to(scope).filter(is_active=True).order_by("path"),
        services=services_visible_to(scope).filter(is_active=True).order_by("name"),
        campaigns=campaigns_visible_to(scope),
        whole_organisation=scope.everything,
    )


class NewQuestionnaireForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"),
        max_length=40,
        help_text=_("Short, without accents, e.g. khao-sat-dat-dai."),
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    form_code = forms.CharField(
        label=_("Form code"),
        max_length=40,
        required=False,
        help_text=_("As printed on the paper form, e.g. BM.HD07.04."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    title_vi = forms.CharField(label=_("Title of the form (Vietnamese)"), max_length=300)

    def clean_code(self):

        code = self.cleaned_data["code"].lower()
        if Questionnaire.objects.filter(code=code).exists():
            raise forms.ValidationError(_("A questionnaire with this code exists already."))
        return code


class SectionForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20)
    title_vi = forms.CharField(label=_("Title (Vietnamese)"), max_length=300)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
