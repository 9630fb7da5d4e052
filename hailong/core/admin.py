from django.contrib import admin

from hailong.core.admin_base import AuditedModelAdmin, is_administrator
from hailong.core.audit import audit_entries_visible_to
from hailong.core.models import AuditEntry, CalendarDay


@admin.register(CalendarDay)
class CalendarDayAdmin(AuditedModelAdmin):
    audit_action = "calendar_day"
    list_display = ("date", "is_day_off", "name", "legal_basis")
    list_filter = ("is_day_off",)
    date_hierarchy = "date"


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only through the app."""

    list_display = ("at", "actor_name", "action", "action_label", "target_repr", "ip")
    list_filter = ("action",)
    search_fields = ("actor_name", "action", "target_repr", "target_id")
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def get_queryset(self, request):
        # The list, its search, filters and counts and the detail page all read this: an
        # entry hidden from this administrator is as absent as an id that never existed.
        return audit_entries_visible_to(request.user)

    def has_module_permission(self, request):
        return is_administrator(request)

    def has_view_permission(self, request, obj=None):
        return is_administrator(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
