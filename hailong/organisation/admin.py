from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from hailong.core.admin_base import AuditedModelAdmin
from hailong.core.audit import audit_record
from hailong.organisation.models import Service, ServiceField, ServicePoint, Staff, Unit
from hailong.organisation.services import unit_delete, unit_save, unit_validate_parent


class UnitAdminForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = (
            "code",
            "name",
            "short_name",
            "kind",
            "parent",
            "sort_order",
            "address",
            "place_name",
            "phone",
            "is_active",
        )

    def clean_code(self):
        return self.cleaned_data["code"].upper()

    def clean(self):
        cleaned = super().clean()
        from django.core.exceptions import ValidationError

        try:
            unit_validate_parent(unit=self.instance, parent=cleaned.get("parent"))
        except ValidationError as exc:
            self.add_error(None, exc)
        return cleaned


# Roles are a field of Staff (organisation.models.Role), not Django groups.
admin.site.unregister(Group)


@admin.register(Unit)
class UnitAdmin(AuditedModelAdmin):
    form = UnitAdminForm
    list_display = ("indented_name", "code", "kind", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "short_name", "code")
    ordering = ("path",)

    @admin.display(description=_("name"), ordering="path")
    def indented_name(self, obj):
        return f"{'— ' * obj.depth}{obj.name}"

    def save_model(self, request, obj, form, change):
        # Through the service: it keeps the subtree's paths right and writes the audit row.
        unit_save(unit=obj, actor=request.user)

    def save_related(self, request, form, formsets, change):
        admin.ModelAdmin.save_related(self, request, form, formsets, change)

    def delete_model(self, request, obj):
        unit_delete(unit=obj, actor=request.user)


@admin.register(ServiceField)
class ServiceFieldAdmin(AuditedModelAdmin):
    audit_action = "service_field"
    list_display = ("name", "code")
    search_fields = ("name",)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for service in form.instance.services.all():  # their search text holds the field name
            service.save(update_fields=["search_text"])


@admin.register(Service)
class ServiceAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "field", "time_limit_days", "time_limit_kind", "is_active")
    list_filter = ("field", "is_active", "time_limit_kind")
    search_fields = ("code", "name", "search_text")
    filter_horizontal = ("units",)


class ServicePointAdminForm(forms.ModelForm):
    class Meta:
        model = ServicePoint
        fields = ("unit", "code", "name", "kind", "location", "services", "is_active")

    def clean_code(self):
        # Lower-cased before the uniqueness check, so "YT-Q1" is refused when "yt-q1" exists.
        return self.cleaned_data["code"].lower()


@admin.register(ServicePoint)
class ServicePointAdmin(AuditedModelAdmin):
    audit_action = "service_point"
    form = ServicePointAdminForm
    list_display = ("code", "name", "kind", "unit", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name", "unit__name")  # also serves autocomplete elsewhere
    autocomplete_fields = ("unit",)
    filter_horizontal = ("services",)


class StaffCreationForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = Staff
        fields = ("username", "full_name", "role")


@admin.register(Staff)
class StaffAdmin(AuditedModelAdmin, UserAdmin):
    audit_action = "staff"
    add_form = StaffCreationForm
    list_display = ("username", "full_name", "role", "title", "is_active", "last_login")
    list_filter = ("role", "is_active")
    search_fields = ("username", "full_name", "email")
    ordering = ("full_name",)
    filter_horizontal = ("units",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("full_name", "title", "email", "phone")}),
        (_("Role and scope"), {"fields": ("role", "units", "is_active")}),
        (_("History"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"fields": ("username", "full_name", "role", "password1", "password2")}),
    )
    readonly_fields = ("last_login", "date_joined")

    def save_model(self, request, obj, form, change):
        # Administrators of the app are Django superusers; nobody else gets into the admin.
        obj.is_superuser = obj.is_staff = obj.role == "admin"
        super().save_model(request, obj, form, change)

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            # The password itself never enters the audit log; only the fact that it was set.
            audit_record(
                actor=request.user, action="staff.set_password", target=Staff.objects.get(pk=id)
            )
        return response
