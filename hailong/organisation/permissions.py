"""Who may do what, by role. Who may see which units is `selectors.units_visible_to`."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from hailong.organisation.models import Role, Staff

MANAGE_ORGANISATION = {Role.ADMIN}
IMPORT_CATALOGUE = {Role.ADMIN, Role.SECRETARY}
# Printing a service point's QR poster and paper forms (the service-points page offers it).
PRINT_MATERIALS = {Role.ADMIN, Role.SECRETARY, Role.CLERK}


def has_role(staff: Staff, roles: set[str]) -> bool:
    return (
        staff.is_authenticated
        and staff.is_active
        and (staff.role in roles or (Role.ADMIN in roles and staff.is_superuser))
    )


def role_required(roles: set[str]) -> Callable:
    """Login, then the role check; a signed-in person without the role gets 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not has_role(request.user, roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class RoleGated:
    """Mixin for core's table importers: who may use one is who has one of its `roles` (core
    itself knows no roles)."""

    roles: set[str] = set()

    @classmethod
    def may_use(cls, user) -> bool:
        return has_role(user, cls.roles)
