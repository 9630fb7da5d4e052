"""Sign-in events go to the audit log too: who signed in, out, failed or was locked out, and
from where. A failed attempt has no actor; the username typed is kept as data."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from hailong.core.audit import audit_record
from hailong.organisation.signin import signin_failure_note


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    audit_record(actor=user, action="auth.login", target=user)


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, action="auth.logout", target=user)


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    audit_record(actor=None, action="auth.login_failed", after={"username": username})
    signin_failure_note(username=username)


@receiver(user_locked_out)
def audit_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    audit_record(
        actor=None,
        action="auth.locked_out",
        after={"username": str(username or "")[:150]},
        ip=ip_address,
    )
