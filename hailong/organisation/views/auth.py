"""Signing in and out, changing one's password, and the lockout page."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hailong.core.request_context import client_ip
from hailong.organisation.forms import LoginForm, StaffPasswordChangeForm
from hailong.organisation.permissions import MANAGE_ORGANISATION, role_required
from hailong.organisation.selectors import login_failures
from hailong.organisation.services import staff_change_password, staff_unlock
from hailong.organisation.signin import signin_must_wait


class LoginView(auth_views.LoginView):
    template_name = "organisation/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        # Before the password is checked: a username guessed from many addresses is tried
        # once per spacing from an unknown address (hailong/organisation/signin.py).
        username = str(request.POST.get("username", ""))[:150]
        if signin_must_wait(username=username, ip=client_ip(request)):
            minutes = max(1, settings.HAILONG_SIGNIN_SLOWDOWN_SPACING // 60)
            message = _(
                "Many failed sign-ins for this account have come from other connections, so "
                "from a new connection it can be tried only once every %(minutes)d minutes. "
                "Please wait and try again, or sign in from the connection you usually use."
            ) % {"minutes": minutes}
            form = LoginForm(request, initial={"username": username})
            context = {**self.get_context_data(form=form), "lockout_message": message}
            return render(request, self.template_name, context, status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        # Warn before the lockout rather than surprise people with it.
        username = form.data.get("username", "")
        failures = login_failures(username, client_ip(self.request)) if username else 0
        left = settings.AXES_FAILURE_LIMIT - failures if username else None
        response = super().form_invalid(form)
        if left is not None and 0 < left <= 2:
            response.context_data["attempts_left"] = left
        return response


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You have signed out."))
        return response


@role_required(MANAGE_ORGANISATION)
@require_http_methods(["POST"])
def unlock(request):
    username = request.POST.get("username", "")
    staff_unlock(username=username, actor=request.user)
    messages.success(request, _("Account %(username)s can sign in again.") % {"username": username})
    return redirect("home")


def lockout_response(request, response=None, credentials=None, *args, **kwargs):
    """Shown by django-axes instead of checking the password once an account is locked."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    form = LoginForm(request)
    # Locked for this address only (settings.AXES_LOCKOUT_PARAMETERS): the person can sign
    # in from another connection at once, which is the administrator's own way back.
    message = _(
        "Too many failed sign-in attempts from this connection. This account is locked here "
        "for %(minutes)d minutes; try again later, sign in from another connection, or ask "
        "an administrator to unlock it."
    ) % {"minutes": minutes}
    return render(
        request, "organisation/login.html", {"form": form, "lockout_message": message}, status=429
    )


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    form = StaffPasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = staff_change_password(form=form, actor=request.user)
        update_session_auth_hash(request, user)
        messages.success(request, _("Your password has been changed."))
        return redirect("home")
    return render(request, "organisation/password_change.html", {"form": form})
