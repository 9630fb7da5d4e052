from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext as _

from hailong.core.admin_base import AuditedModelAdmin, Secret, ShownOnce, is_administrator
from hailong.surveys.models import KioskDevice, RegularCustomer
from hailong.surveys.services.kiosk import kiosk_device_register


class KioskDeviceForm(forms.ModelForm):
    class Meta:
        model = KioskDevice
        fields = ("service_point", "name", "is_active")


@admin.register(KioskDevice)
class KioskDeviceAdmin(ShownOnce, AuditedModelAdmin):
    audit_action = "kiosk_device"
    form = KioskDeviceForm
    list_display = ("name", "service_point", "token_prefix", "is_active", "last_seen_at")
    list_filter = ("is_active",)
    autocomplete_fields = ("service_point",)

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        device, token = kiosk_device_register(
            point=obj.service_point, name=obj.name, actor=request.user
        )
        obj.pk, obj.token_hash, obj.token_prefix = device.pk, device.token_hash, device.token_prefix
        obj._state.adding = False
        link = request.build_absolute_uri(reverse("public:kiosk")) + f"#token={token}"
        self.show_once(
            request,
            Secret(_("Open this link once on the tablet (it is shown only now):"), link, True),
        )

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)

    def has_module_permission(self, request):
        return is_administrator(request)


@admin.register(RegularCustomer)
class RegularCustomerAdmin(AuditedModelAdmin):
    """Correct or retire a regular customer (imports add and update them in bulk)."""

    audit_action = "regular_customer"
    list_display = ("name", "organisation", "email", "phone", "unit", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "organisation", "email", "phone")
