from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "hailong.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from hailong.core.audit import audit_actions_declare
        from hailong.surveys.audit_actions import ACTIONS

        audit_actions_declare(ACTIONS)
        from hailong.surveys.services import exports  # noqa: F401  (register the job handlers)
