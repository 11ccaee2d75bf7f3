from django.urls import path

from . import views

app_name = "oversight"

urlpatterns = [
    path("oversight/", views.home, name="overview"),
    path("oversight/search/", views.search, name="search"),
    path("oversight/results/", views.results, name="results"),
    path("oversight/export/", views.export, name="export"),
    path("oversight/flags/<int:pk>/", views.flag_detail, name="flag"),
    path("oversight/flags/<int:pk>/review/", views.flag_review, name="flag_review"),
    path("oversight/flags/<int:pk>/rows/", views.flag_rows, name="flag_rows"),
    path("oversight/preferences/", views.preferences, name="preferences"),
]
