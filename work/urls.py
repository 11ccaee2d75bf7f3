from django.urls import include, path

from . import views

notification_patterns = [
    path("", views.notifications, name="notifications"),
    path("<int:pk>/open/", views.notification_open, name="notification_open"),
    path("read/", views.notifications_read, name="notifications_read"),
]

urlpatterns = [
    path("", views.my_work, name="home"),
    path("notifications/", include((notification_patterns, "work"))),
]
