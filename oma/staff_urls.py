"""The staff's URLs for Oma Työkyky's requests to move a time (outside the client's /oma/)."""

from django.urls import path

from . import staff_views

app_name = "move_requests"

urlpatterns = [
    path("<int:pk>/kasitelty/", staff_views.mark_handled, name="handled"),
]
