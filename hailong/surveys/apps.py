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
        # The service-point list names the campaign each counter serves today.
        from django.utils import timezone

        from hailong.organisation.selectors import POINT_LIST_ANNOTATORS
        from hailong.surveys.selectors.kiosk import points_with_campaigns

        POINT_LIST_ANNOTATORS.append(
            lambda points: points_with_campaigns(points, on_day=timezone.localdate())
        )
        # Registering the job handlers and the importers of dossier and customer files.
        from hailong.surveys import dossiers, imports, invitations  # noqa: F401
        from hailong.surveys.services import exports  # noqa: F401
