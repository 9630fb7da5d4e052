from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "hailong.api"
    label = "api"
    verbose_name = _("Connected systems (API)")

    def ready(self) -> None:
        from hailong.api.audit_actions import ACTIONS
        from hailong.core.audit import audit_actions_declare

        audit_actions_declare(ACTIONS)
