from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hailong.api.models import ApiScope, ApiToken
from hailong.api.tokens import api_token_issue, api_token_revoke
from hailong.core.admin_base import AuditedModelAdmin, Secret, ShownOnce


class ApiTokenForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("Allowed endpoints"),
        choices=ApiScope.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ApiToken
        fields = ("system", "scopes", "units")


@admin.register(ApiToken)
class ApiTokenAdmin(ShownOnce, AuditedModelAdmin):
    audit_action = "api_token"
    form = ApiTokenForm
    list_display = ("system", "prefix", "scopes", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "created_at", "last_used_at", "last_used_ip", "revoked_at")
    filter_horizontal = ("units",)
    actions = ["revoke"]

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        token, raw = api_token_issue(
            system=obj.system,
            scopes=form.cleaned_data["scopes"],
            units=list(form.cleaned_data["units"]),
            actor=request.user,
        )
        obj.pk, obj._state.adding = token.pk, False
        self.show_once(
            request,
            Secret(
                _("The key of %(system)s (shown only now; store it in that system):")
                % {"system": obj.system},
                raw,
            ),
        )

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)

    @admin.action(description=gettext_lazy("Revoke the selected keys"))
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            api_token_revoke(token=token, actor=request.user)
        messages.success(
            request,
            _("Revoked at %(time)s.") % {"time": timezone.localtime().strftime("%d/%m/%Y %H:%M")},
        )
