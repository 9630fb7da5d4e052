"""Only the deadline rules are edited in the admin. Cases are not registered here on purpose:
the admin would show denunciations and their authors to anyone with admin access, bypassing
`selectors.cases_visible_to`."""

from django.contrib import admin

from hailong.core.admin_base import AuditedModelAdmin
from hailong.feedback.models import DeadlineRule


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(AuditedModelAdmin):
    audit_action = "deadline_rule"
    list_display = (
        "kind",
        "stage",
        "days",
        "counting",
        "counted_from",
        "complex_days",
        "remote_days",
        "valid_from",
        "is_active",
    )
    list_filter = ("kind", "stage", "is_active")
    search_fields = ("legal_basis",)
