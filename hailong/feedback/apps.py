from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "hailong.feedback"
    label = "feedback"
    verbose_name = _("Feedback and complaints")

    def ready(self) -> None:
        from hailong.core.audit import audit_actions_declare, audit_hider_register
        from hailong.feedback.audit_actions import ACTIONS
        from hailong.feedback.selectors import audit_entries_hidden_from

        audit_actions_declare(ACTIONS)
        audit_hider_register(audit_entries_hidden_from)
