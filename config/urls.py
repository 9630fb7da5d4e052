from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from hailong.core import import_views
from hailong.core.admin_base import admin_site_has_permission
from hailong.organisation.views import auth
from hailong.workspace.views import home

admin.site.has_permission = admin_site_has_permission
admin.site.site_header = _("Hài Lòng administration")
admin.site.site_title = _("Hài Lòng")
admin.site.index_title = _("Organisation, procedures and staff")

urlpatterns = [
    path("", home, name="home"),
    path("accounts/login/", auth.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth.password_change, name="password_change"),
    path("accounts/unlock/", auth.unlock, name="unlock"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("imports/<int:pk>/", import_views.file_import_detail, name="file_import_detail"),
    path(
        "imports/<int:pk>/confirm/",
        import_views.file_import_confirm_view,
        name="file_import_confirm",
    ),
    path(
        "imports/<int:pk>/cancel/", import_views.file_import_cancel_view, name="file_import_cancel"
    ),
    path("org/", include("hailong.organisation.urls")),
    path("surveys/", include("hailong.surveys.urls")),
    path("cases/", include("hailong.feedback.urls")),
    path("analytics/", include("hailong.analytics.urls")),
    path("", include("hailong.public.urls")),
    path("api/", include("hailong.api.urls")),
    path("admin/", admin.site.urls),
]
