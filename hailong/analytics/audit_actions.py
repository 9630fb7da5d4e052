"""The audit actions of the analytics app (declared in apps.py)."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "dashboard.export": _("downloaded a dashboard table"),
}
