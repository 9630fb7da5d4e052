from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "hailong.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from hailong.surveys import exports, imports  # noqa: F401  (register the job handlers)
