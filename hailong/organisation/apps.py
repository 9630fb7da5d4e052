from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    name = "hailong.organisation"
    label = "organisation"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from hailong.core.audit import audit_actions_declare
        from hailong.organisation.audit_actions import ACTIONS

        audit_actions_declare(ACTIONS)
        # The signals, and the catalogue's file importer: without its registration, uploading
        # a catalogue file fails ("no importer") in a process that has not imported it by chance.
        from hailong.organisation import catalogue_import, signals  # noqa: F401
