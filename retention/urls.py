from django.urls import path

from . import views

app_name = "retention"

urlpatterns = [
    path("retention/", views.proposals, name="proposals"),
    path("retention/<int:pk>/approve/", views.approve, name="approve"),
    path("retention/<int:pk>/reject/", views.reject, name="reject"),
]
