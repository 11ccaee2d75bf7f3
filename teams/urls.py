from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import account_views as views
from . import people, sso
from .forms import LoginForm

account_patterns = [
    path("", views.account, name="account"),
    path("mfa/setup/", views.mfa_setup, name="mfa_setup"),
    path("mfa/verify/", views.mfa_verify, name="mfa_verify"),
    path("mfa/backup-codes/", views.backup_codes, name="backup_codes"),
]

urlpatterns = [
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, authentication_form=LoginForm,
            # Callables: the template calls them at each request.
            extra_context={"sso_form": sso.SignOnForm, "sso_in_use": sso.any_in_use}),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Single sign-on through the organisation's own identity provider (teams/sso.py).
    path("accounts/sso/", sso.sign_on_login, name="sso_login"),
    path("accounts/sso/callback/", sso.callback, name="sso_callback"),
    # Setting one's own password from the link an administrator had sent (teams/admin.py).
    path("accounts/password/<uidb64>/<token>/",
         auth_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("accounts/password/done/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("accounts/", include((account_patterns, "accounts"))),
    # The matches of a people picker as the user types (teams/people.py).
    path("people/search/", people.people_search, name="people_search"),
]
