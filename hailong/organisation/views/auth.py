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
from hailong.organisation.services import staff_change_password


class LoginView(auth_views.LoginView):
    template_name = "organisation/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


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
