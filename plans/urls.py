from django.urls import include, path

from . import views

plan_patterns = [
    path("clients/<int:client_pk>/plan/", views.plan, name="plan"),
    path("clients/<int:client_pk>/plan/edit/", views.plan_edit, name="plan_edit"),
    path("clients/<int:client_pk>/plan/actions/", views.action_add, name="action_add"),
    path("plan-actions/<int:pk>/status/", views.action_status, name="action_status"),
    path("clients/<int:client_pk>/plan/follow-ups/", views.follow_up_add,
         name="follow_up_add"),
    path("follow-ups/<int:pk>/done/", views.follow_up_done, name="follow_up_done"),
    path("clients/<int:client_pk>/plan.pdf", views.plan_pdf, name="plan_pdf"),
    path("clients/<int:client_pk>/feedback-discussions/new/", views.discussion_create,
         name="discussion_create"),
    path("feedback-discussions/<int:pk>/", views.discussion_detail, name="discussion"),
    path("clients/<int:client_pk>/close/", views.close_client, name="close_client"),
    path("clients/<int:client_pk>/process.pdf", views.process_pdf, name="process_pdf"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification_open"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard.csv", views.dashboard_export, {"file_format": "csv"},
         name="dashboard_csv"),
    path("dashboard.xlsx", views.dashboard_export, {"file_format": "xlsx"},
         name="dashboard_xlsx"),
]

urlpatterns = [
    path("", views.my_work, name="home"),
    path("", include((plan_patterns, "plans"))),
]
