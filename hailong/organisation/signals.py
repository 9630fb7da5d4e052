"""Sign-in events go to the audit log too: who signed in, out, or failed, and from where."""

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from hailong.core.audit import audit_record


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    audit_record(actor=user, action="auth.login", target=user)


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, action="auth.logout", target=user)
