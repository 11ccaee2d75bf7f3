from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("clients/<int:client_pk>/plan/", views.plan, name="plan"),
    path("clients/<int:client_pk>/plan/edit/", views.plan_edit, name="plan_edit"),
    path("clients/<int:client_pk>/plan/actions/", views.action_add, name="action_add"),
    path("plan-actions/<int:pk>/status/", views.action_status, name="action_status"),
    path("clients/<int:client_pk>/plan/goals/", views.goal_add, name="goal_add"),
    path("plan-goals/<int:pk>/follow/", views.goal_follow, name="goal_follow"),
    path("clients/<int:client_pk>/plan/follow-ups/", views.follow_up_add,
         name="follow_up_add"),
    path("follow-ups/<int:pk>/done/", views.follow_up_done, name="follow_up_done"),
    path("clients/<int:client_pk>/plan.pdf", views.plan_pdf, name="plan_pdf"),
    path("clients/<int:client_pk>/feedback-discussions/new/", views.discussion_create,
         name="discussion_create"),
    path("feedback-discussions/<int:pk>/", views.discussion_detail, name="discussion"),
    path("clients/<int:client_pk>/close/", views.close_client, name="close_client"),
    path("clients/<int:client_pk>/reopen/", views.reopen_client, name="reopen_client"),
    path("clients/<int:client_pk>/process.pdf", views.process_pdf, name="process_pdf"),
]
