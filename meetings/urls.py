from django.urls import path

from . import doctor_views, views

app_name = "meetings"

urlpatterns = [
    path("clients/<int:client_pk>/meetings/new/", views.book, name="book"),
    path("clients/<int:client_pk>/meetings/request/", views.request_meeting,
         name="request"),
    path("meeting-requests/", views.intake_queue, name="intake"),
    path("meeting-requests/<int:pk>/withdraw/", views.request_withdraw,
         name="request_withdraw"),
    path("meetings/<int:pk>/", views.detail, name="detail"),
    path("meetings/<int:pk>/answer/", views.answer, name="answer"),
    path("meetings/<int:pk>/reschedule/", views.reschedule, name="reschedule"),
    path("meetings/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("meetings/<int:pk>/decisions/", views.decisions, name="decisions"),
    path("meetings/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("meetings/<int:pk>/doctor-summary.pdf", views.doctor_summary_pdf,
         name="doctor_summary_pdf"),
    path("doctor/worklist/", doctor_views.worklist, name="doctor_worklist"),
    path("meetings/<int:pk>/assessment/", doctor_views.assessment, name="doctor_assessment"),
    path("calendar/", views.calendar_view, name="calendar"),
    path("calendar/feed/", views.feed_settings, name="feed_settings"),
    path("calendar/feed/<str:token>.ics", views.feed, name="feed"),
]
