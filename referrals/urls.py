from django.urls import path

from . import views

app_name = "referrals"

urlpatterns = [
    path("referrals/worklist/", views.worklist, name="worklist"),
    path("referrals/sent/", views.sent, name="sent"),
    path("clients/<int:client_pk>/referrals/new/", views.referral_create, name="create"),
    path("clients/<int:client_pk>/self-referral/", views.self_referral, name="self_referral"),
    path("referrals/<int:pk>/", views.referral_detail, name="detail"),
    path("referrals/<int:pk>/receive/", views.receive, name="receive"),
    path("referrals/<int:pk>/book/", views.book, name="book"),
    path("referrals/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("referrals/<int:pk>/no-show/", views.no_show, name="no_show"),
    path("referrals/<int:pk>/health-check/", views.health_check, name="health_check"),
    path("referrals/<int:pk>/feedback/", views.feedback, name="feedback"),
    path("referrals/<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("clients/<int:client_pk>/assessments/new/", views.assessment_create,
         name="assessment_create"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment"),
    path("assessments/<int:pk>/edit/", views.assessment_edit, name="assessment_edit"),
]
