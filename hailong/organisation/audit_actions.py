"""The audit actions of the organisation app (declared in apps.py)."""

from django.utils.translation import gettext_lazy as _

from hailong.core.audit import entity_actions

ACTIONS = {
    **entity_actions("unit", _("unit")),
    **entity_actions("service", _("procedure")),
    **entity_actions("service_point", _("service point")),
    **entity_actions("service_field", _("field")),
    **entity_actions("staff", _("staff member")),
    "staff.set_password": _("set a staff member's password"),
    "service.import": _("imported procedures"),
}
