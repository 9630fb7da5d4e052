from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "hailong.feedback"
    label = "feedback"
    verbose_name = _("Feedback and complaints")

    def ready(self) -> None:
        from hailong.core.audit import audit_actions_declare
        from hailong.feedback.audit_actions import ACTIONS

        audit_actions_declare(ACTIONS)
