from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path

from . import views

# One door in: the admin's own login page sends people to ours (lockout, and later MFA, live there).
admin.site.login = login_required(admin.site.login)

urlpatterns = [
    path("", include("teams.urls")),
    path("health/", views.health, name="health"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("documents/<uuid:pk>/", views.document, name="document"),
    path("documents/<uuid:pk>/pdf", views.document_download, name="document_download"),
    path("tietosuoja/", views.privacy_notice, name="privacy_notice"),
    path("saavutettavuus/", views.accessibility_statement, name="accessibility_statement"),
    path("clients/", include("cases.urls")),
    path("", include("consents.urls")),
    path("", include("referrals.urls")),
    path("", include("meetings.urls")),
    path("", include("plans.urls")),
    path("", include("work.urls")),
    path("", include("reporting.urls")),
    path("", include("rights.urls")),
    path("", include("retention.urls")),
    path("", include("oversight.urls")),
    path("oma/", include("oma.urls")),
    path("siirtopyynnot/", include("oma.staff_urls")),  # the staff's side of move requests
    path("admin/", admin.site.urls),
]
