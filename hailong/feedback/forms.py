"""Forms of the case pages. Validation of the case itself lives in `intake.clean_intake` and the
services; these forms turn posted fields into typed values and carry the errors back."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hailong.core.forms import LongTextField
from hailong.feedback.intake import CaseIntake, Upload, attachments_too_big
from hailong.feedback.models import (
    DESK_CHANNELS,
    CaseChannel,
    CaseKind,
    ComplaintInstance,
    HandlingRating,
)
from hailong.organisation.selectors import in_vietnamese_order, tree_walk


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


def unit_tree_choices(units) -> list[tuple[int, str]]:
    return [(node.unit.pk, "— " * node.level + node.unit.name) for node in tree_walk(units)]


class CaseFormBase(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CaseKind.choices, widget=forms.RadioSelect)
    # Only for a complaint: a second complaint about the first-instance decision (Luật Khiếu
    # nại 2011 art. 33, 37) has longer periods. Absent from a post: first instance.
    instance = forms.ChoiceField(
        label=_("For a complaint: first or second time"),
        choices=ComplaintInstance.choices,
        initial=ComplaintInstance.FIRST,
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "Second instance: the person complains again about the decision made on their "
            "first complaint (45 days, 60 if complex; 60 and 70 in remote areas)."
        ),
    )
    unit = forms.TypedChoiceField(label=_("Agency or unit concerned"), coerce=int)
    service = forms.TypedChoiceField(
        label=_("Administrative procedure (if any)"), coerce=int, required=False, empty_value=None
    )
    dossier_code = forms.CharField(label=_("Dossier code (if any)"), required=False, max_length=60)
    title = forms.CharField(label=_("Subject"), required=False, max_length=200)
    content = LongTextField(
        label=_("Content"), widget=forms.Textarea(attrs={"rows": 6}), max_length=10000
    )
    remedy_sought = LongTextField(
        label=_("What do you ask for?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
    )
    contact_name = forms.CharField(label=_("Full name"), required=False, max_length=150)
    contact_phone = forms.CharField(label=_("Phone"), required=False, max_length=30)
    contact_email = forms.CharField(label=_("Email"), required=False, max_length=254)
    contact_address = forms.CharField(label=_("Address"), required=False, max_length=300)
    consent = forms.BooleanField(required=False)
    attachments = MultipleFileField(label=_("Attached files"), required=False)

    def __init__(self, *args, units, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.units_by_pk = {u.pk: u for u in units}
        self.services_by_pk = {s.pk: s for s in services}
        self.fields["unit"].choices = [("", _("— choose —")), *unit_tree_choices(units)]
        self.fields["service"].choices = [("", _("— none —"))] + [
            (s.pk, f"{s.code} {s.name}") for s in in_vietnamese_order(services)
        ]
        self.fields["contact_phone"].widget.attrs.update(
            {"inputmode": "tel", "autocomplete": "tel"}
        )
        self.fields["contact_email"].widget.attrs.update(
            {"inputmode": "email", "autocomplete": "email"}
        )
        self.fields["contact_name"].widget.attrs.update({"autocomplete": "name"})
        self.fields["attachments"].widget.attrs.update(
            {"accept": ".pdf,.jpg,.jpeg,.png,.doc,.docx,.xlsx"}
        )

    def clean_attachments(self):
        # Count and size first, on the uploads' metadata, before anything is read into
        # memory; `intake.check_attachments` then checks each file's content.
        files = self.cleaned_data.get("attachments") or []
        too_big = attachments_too_big([(f.name, f.size) for f in files])
        if too_big:
            raise forms.ValidationError(too_big)
        return files

    def intake(self, *, channel: str) -> CaseIntake:
        data = self.cleaned_data
        return CaseIntake(
            kind=data["kind"],
            channel=channel,
            unit=self.units_by_pk.get(data["unit"]),
            title=data.get("title", ""),
            content=data["content"],
            remedy_sought=data.get("remedy_sought", ""),
            service=self.services_by_pk.get(data.get("service")),
            dossier_code=data.get("dossier_code", ""),
            contact_name=data.get("contact_name", ""),
            contact_phone=data.get("contact_phone", ""),
            contact_email=data.get("contact_email", ""),
            contact_address=data.get("contact_address", ""),
            consent_given=data.get("consent", False),
            # The desk's choice shows under a complaint only (hailong.css); chosen, then another
            # kind picked, it is not held against the clerk, as the public form's box is not.
            instance=(data.get("instance") if data["kind"] == CaseKind.COMPLAINT else "")
            or ComplaintInstance.FIRST,
            attachments=[
                Upload(f.name, f.content_type or "", f.read())
                for f in data.get("attachments") or []
            ],
        )

    def add_service_errors(self, errors: dict[str, str]) -> None:
        for name, message in errors.items():
            self.add_error(name if name in self.fields else None, message)


class PublicCaseForm(CaseFormBase):
    website = forms.CharField(required=False)  # honeypot: hidden from people
    # The citizen's words for a second-instance complaint (Luật Khiếu nại 2011 art. 33, 37):
    # one box under "khiếu nại", instead of the desk's first/second choice.
    second_instance = forms.BooleanField(
        label=_(
            "I have already complained once and do not agree with the decision on my "
            "complaint (second complaint)."
        ),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["instance"]
        self.fields["consent"].label = _(
            "I agree that the agency uses the name and contact details I give only to contact "
            "me, answer me and ask my opinion on the handling of this matter (Decree "
            "13/2023/NĐ-CP). I may ask for them to be deleted at any time."
        )
        for name, field in self.fields.items():
            if name not in ("kind", "consent", "attachments", "website", "second_instance"):
                field.widget.attrs["class"] = "pub-input"

    def intake(self, *, channel: str) -> CaseIntake:
        intake = super().intake(channel=channel)
        # Ticked, then another kind chosen: a PAKN or a tố cáo has no second instance, and the
        # box (shown under a complaint only) is not held against the person.
        if self.cleaned_data.get("second_instance") and intake.kind == CaseKind.COMPLAINT:
            intake.instance = ComplaintInstance.SECOND
        return intake


class DeskCaseForm(CaseFormBase):
    channel = forms.ChoiceField(
        label=_("Received by"),
        choices=[(c.value, c.label) for c in DESK_CHANNELS],
        initial=CaseChannel.DESK,
    )
    received_at = forms.DateTimeField(
        label=_("Received at (if not now)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%d/%m/%Y"],
        help_text=_("For a letter or email that arrived earlier: deadlines count from receipt."),
    )
    is_complex = forms.BooleanField(label=_("Complex case"), required=False)
    is_remote = forms.BooleanField(label=_("Remote area"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = _(
            "The person agreed that their contact details are kept to answer them (consent "
            "read out or signed)."
        )
        self.fields["remedy_sought"].label = _("What the person asks for")

    # received_at is bounded by the intake (clean_intake), which every channel goes through.

    def intake(self, *, channel: str = "") -> CaseIntake:
        intake = super().intake(channel=self.cleaned_data["channel"])
        intake.received_at = self.cleaned_data.get("received_at")
        intake.is_complex = self.cleaned_data.get("is_complex", False)
        intake.is_remote = self.cleaned_data.get("is_remote", False)
        return intake


class LookupForm(forms.Form):
    code = forms.CharField(label=_("Tracking code"), max_length=20)
    phone_last4 = forms.CharField(
        label=_("Last 4 digits of your phone number, or the PIN on your receipt"),
        max_length=4,
        required=False,
        help_text=_("Leave empty if you sent it anonymously."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {
                "autocapitalize": "characters",
                "autocomplete": "off",
                "spellcheck": "false",
                "class": "pub-input",
            }
        )
        self.fields["phone_last4"].widget.attrs.update(
            {
                "inputmode": "numeric",
                "pattern": "[0-9]*",
                "autocomplete": "off",
                "class": "pub-input",
            }
        )

    def clean_phone_last4(self):
        value = self.cleaned_data.get("phone_last4", "").strip()
        if value and not (len(value) == 4 and value.isascii() and value.isdigit()):
            raise forms.ValidationError(_("Enter 4 digits, or leave it empty."))
        return value

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split()).replace("-", "").upper()


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you with the handling of your case?"),
        choices=HandlingRating.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one of the three answers.")},
    )
    comment = LongTextField(
        label=_("Anything to add?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "pub-input"}),
        max_length=2000,
    )
