from django.urls import path

from . import views

app_name = "consents"

urlpatterns = [
    path("clients/<int:client_pk>/consents/new/", views.consent_create, name="create"),
    path("consents/<int:pk>/", views.consent_detail, name="detail"),
    path("consents/<int:pk>/revoke/", views.consent_revoke, name="revoke"),
    path("consents/<int:pk>/confirm/", views.consent_confirm, name="confirm"),
    path("consents/<int:pk>/consent.pdf", views.consent_pdf, name="pdf"),
    path("clients/<int:client_pk>/disclosure-bans/new/", views.ban_create, name="ban_create"),
    path("disclosure-bans/<int:pk>/lift/", views.ban_lift, name="ban_lift"),
    path("clients/<int:client_pk>/team/", views.team, name="team"),
    path("clients/<int:client_pk>/team/<int:user_pk>/remove/", views.team_remove,
         name="team_remove"),
    path("clients/<int:client_pk>/access-log/", views.access_log, name="access_log"),
    path("clients/<int:client_pk>/access-log.csv", views.access_log_csv, name="access_log_csv"),
]
