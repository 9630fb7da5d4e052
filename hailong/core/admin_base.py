"""Django admin for the administrator only, with every write going to the audit log."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import admin
from django.db import transaction
from django.template.response import TemplateResponse

from hailong.core.audit import audit_record, snapshot


def is_administrator(request) -> bool:
    user = request.user
    return bool(
        user.is_authenticated and user.is_active and getattr(user, "is_administrator", False)
    )


def admin_site_has_permission(request) -> bool:
    # The admin is for the administrator role only (the brief): other staff use staff pages.
    return is_administrator(request)


class AuditedModelAdmin(admin.ModelAdmin):
    """Saves and deletes through the admin leave an audit row with before/after values."""

    audit_action = ""  # e.g. "service_point"

    def has_module_permission(self, request):
        return is_administrator(request)

    def has_view_permission(self, request, obj=None):
        return is_administrator(request)

    def has_add_permission(self, request):
        return is_administrator(request)

    def has_change_permission(self, request, obj=None):
        return is_administrator(request)

    def has_delete_permission(self, request, obj=None):
        return is_administrator(request)

    def _action(self, suffix: str) -> str:
        return f"{self.audit_action or self.model._meta.model_name}.{suffix}"

    def save_model(self, request, obj, form, change):
        # The before-snapshot is taken in save_form's transaction, after-snapshot in save_related.
        obj._audit_before = (
            snapshot(type(obj).objects.filter(pk=obj.pk).first()) if change else None
        )
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        audit_record(
            actor=request.user,
            action=self._action("update" if change else "create"),
            target=obj,
            before=getattr(obj, "_audit_before", None),
            after=snapshot(obj),
        )

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit_record(
                actor=request.user, action=self._action("delete"), target=obj, before=snapshot(obj)
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)


@dataclass
class Secret:
    """A secret made by an add form (a kiosk link, an API key) and shown on its answer."""

    text: str  # what it is and what to do with it
    value: str
    is_link: bool = False


class ShownOnce:
    """For a ModelAdmin whose add makes a secret (`save_model` calls `show_once`): the secret
    is rendered in the answer to that POST and nowhere else. Not a message: messages outlive
    the request (a cookie, or the session table), and a cookie is readable by whoever holds it."""

    def show_once(self, request, secret: Secret) -> None:
        request._hailong_secret = secret

    def response_add(self, request, obj, post_url_continue=None):
        secret = getattr(request, "_hailong_secret", None)
        if secret is None:
            return super().response_add(request, obj, post_url_continue)
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "title": str(obj),
            "object": obj,
            "secret": secret,
        }
        # Not cached: every admin page is never_cache already.
        return TemplateResponse(request, "core/admin_secret_shown_once.html", context)
