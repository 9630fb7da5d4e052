from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "hailong.core"
    label = "core"
    verbose_name = _("System")

    def ready(self) -> None:
        from hailong.core import checks, imports  # noqa: F401  (register checks and import jobs)
