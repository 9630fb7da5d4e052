from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "hailong.analytics"
    label = "analytics"
    verbose_name = _("Analytics")

    def ready(self) -> None:
        from hailong.analytics.audit_actions import ACTIONS
        from hailong.core.audit import audit_actions_declare

        audit_actions_declare(ACTIONS)
