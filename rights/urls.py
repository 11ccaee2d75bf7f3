from django.urls import path

from . import views

app_name = "rights"

urlpatterns = [
    path("clients/<int:client_pk>/data-package/", views.package, name="package"),
    path("clients/<int:client_pk>/data-package.pdf", views.package_pdf, name="package_pdf"),
    path("clients/<int:client_pk>/data-package.json", views.package_json, name="package_json"),
]
