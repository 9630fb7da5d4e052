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

from hailong.organisation.forms import LoginForm, StaffPasswordChangeForm
from hailong.organisation.permissions import MANAGE_ORGANISATION, role_required
from hailong.organisation.selectors import login_failures
from hailong.organisation.services import staff_change_password, staff_unlock


class LoginView(auth_views.LoginView):
    template_name = "organisation/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        # Warn before the lockout rather than surprise people with it.
        username = form.data.get("username", "")
        left = settings.AXES_FAILURE_LIMIT - login_failures(username) if username else None
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
    message = _(
        "Too many failed sign-in attempts. This account is locked for %(minutes)d minutes; "
        "try again later or ask the administrator to unlock it."
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
