from django.urls import path

from . import identification, views

app_name = "oma"

urlpatterns = [
    path("", views.home, name="home"),
    path("kirjaudu/", identification.login_page, name="login"),
    path("kirjaudu/tunnistus/", identification.begin, name="begin"),
    path("kirjaudu/paluu/", identification.callback, name="callback"),
    path("kirjaudu-ulos/", identification.logout, name="logout"),
]
