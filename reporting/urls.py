from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard.csv", views.dashboard_export, {"file_format": "csv"},
         name="dashboard_csv"),
    path("dashboard.xlsx", views.dashboard_export, {"file_format": "xlsx"},
         name="dashboard_xlsx"),
]
