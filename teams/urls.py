from django.urls import path

from . import account_views as views

app_name = "accounts"

urlpatterns = [
    path("", views.account, name="account"),
    path("mfa/setup/", views.mfa_setup, name="mfa_setup"),
    path("mfa/verify/", views.mfa_verify, name="mfa_verify"),
    path("mfa/backup-codes/", views.backup_codes, name="backup_codes"),
]
