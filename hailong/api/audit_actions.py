"""The audit actions of the API app (declared in apps.py)."""

from django.utils.translation import gettext_lazy as _

from hailong.core.audit import entity_actions

ACTIONS = {
    **entity_actions("api_token", _("API key")),
    "api_token.revoke": _("revoked API key"),
}
