
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """
    Django's login form, refusing a username longer than any user's before it is looked up:
    a failed login is recorded for the lockout (django-axes) with its username, which has room
    for no more.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"), max_length=16,
        help_text=_("The six digits your authenticator app shows, or one of your backup codes."),
        widget=forms.TextInput(attrs={
            "autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True,
        }),
    )

    def clean_token(self):
        return self.cleaned_data["token"].replace(" ", "")
