from django.urls import path

from . import access_views, assessment_views, consent_views, identification, path_views, views

app_name = "oma"

urlpatterns = [
    path("", views.home, name="home"),
    path("kirjaudu/", identification.login_page, name="login"),
    path("kirjaudu/tunnistus/", identification.begin, name="begin"),
    path("kirjaudu/paluu/", identification.callback, name="callback"),
    path("kirjaudu-ulos/", identification.logout, name="logout"),
    path("yhteystiedot/", path_views.contacts, name="contacts"),
    path("tapaamiset/", path_views.appointments, name="appointments"),
    path("tapaamiset/<slug:kind>/<int:pk>/siirto/", path_views.move_request,
         name="move_request"),
    path("suunnitelma/", path_views.plan, name="plan"),
    path("suunnitelma/toimet/<int:pk>/tehty/", path_views.action_done, name="action_done"),
    path("terveystarkastuksen-palaute/", path_views.feedback, name="health_check_feedback"),
    path("yhteenveto.pdf", path_views.process_pdf, name="process_pdf"),
    path("itsearvio/", assessment_views.self_assessments, name="self_assessments"),
    path("itsearvio/<int:pk>/", assessment_views.self_assessment, name="self_assessment"),
    path("palaute/", assessment_views.meeting_feedback_list, name="meeting_feedback_list"),
    path("palaute/<int:pk>/", assessment_views.meeting_feedback, name="meeting_feedback"),
    path("suostumukset/", consent_views.consents, name="consents"),
    path("suostumukset/uusi/", consent_views.consent_give, name="consent_give"),
    path("suostumukset/<int:pk>/vahvista/", consent_views.consent_confirm,
         name="consent_confirm"),
    path("suostumukset/<int:pk>/rajaa/", consent_views.consent_narrow, name="consent_narrow"),
    path("suostumukset/<int:pk>/peru/", consent_views.consent_revoke, name="consent_revoke"),
    path("luovutuskiellot/uusi/", consent_views.ban_create, name="ban_create"),
    path("luovutuskiellot/<int:pk>/poista/", consent_views.ban_lift, name="ban_lift"),
    path("kuka-katsoi/", access_views.who_viewed, name="who_viewed"),
]
