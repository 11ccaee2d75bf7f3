"""Enrolling and passing the second factor."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import match_token

from . import mfa
from .forms import TokenForm
from .signals import security_log


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


@sensitive_post_parameters("token")
@require_http_methods(["GET", "POST"])
def mfa_setup(request):
    """Enrol an authenticator app: scan the code, prove it with one code, get backup codes."""
    if mfa.has_confirmed_device(request.user):
        return redirect("accounts:mfa_verify")
    device = mfa.pending_authenticator(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _details = device.verify_is_allowed()
        if not allowed:
            form.add_error("token", _("Too many wrong codes. Wait a moment and try again."))
        elif device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return render(request, "registration/backup_codes.html", {
                "codes": mfa.new_backup_codes(request.user), "next": _next_url(request),
            })
        else:
            form.add_error("token", _("The code did not match. Check the time of your phone "
                                      "and enter the newest code."))
    return render(request, "registration/mfa_setup.html", {
        "form": form, "qr_code": mfa.qr_code_svg(device),
        "secret": mfa.secret_for_typing(device), "next": request.GET.get("next", ""),
    })


@sensitive_post_parameters("token")
@require_http_methods(["GET", "POST"])
def mfa_verify(request):
    if not mfa.has_confirmed_device(request.user):
        return redirect("accounts:mfa_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        security_log.warning("second factor failed user=%s", request.user.pk)
        form.add_error("token", _("The code is wrong or has already been used."))
    return render(request, "registration/mfa_verify.html", {
        "form": form, "next": request.GET.get("next", ""),
    })


def account(request):
    """The user's own page: organisations and roles, two-step login."""
    return render(request, "registration/account.html", {
        "memberships": request.user.memberships.active().select_related("organisation"),
    })


@require_POST
def backup_codes(request):
    """New backup codes for a verified user; the old ones stop working."""
    messages.success(request, _("New backup codes made. The old ones no longer work."))
    return render(request, "registration/backup_codes.html", {
        "codes": mfa.new_backup_codes(request.user), "next": reverse("home"),
    })
