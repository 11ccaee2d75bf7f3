"""My work, the home page, and the notifications behind the bell."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from consents.audit import render_rows
from consents.models import Action
from consents.policy import viewer_for

from .models import Notification
from .my_work import work_for

# --- My work ------------------------------------------------------------------------------------


@require_GET
def my_work(request):
    """The landing page: what is overdue, due today and coming this week. A leader, who works
    with no clients, lands on the numbers instead, and the data protection officer on the
    logs."""
    if viewer_for(request.user).membership is None:
        if request.user.has_perm("plans.view_dashboard"):
            return redirect("reporting:dashboard")
        if request.user.has_perm("oversight.view_logs"):
            return redirect("oversight:overview")
    work = work_for(request.user)
    return render_rows(request, "work/my_work.html", {"work": work,
                                                       "today": timezone.localdate()},
                       rows=work.clients, action=Action.MY_WORK)


# --- Notifications ------------------------------------------------------------------------------


@require_GET
def notifications(request):
    page = Paginator(Notification.objects.filter(user=request.user), 25).get_page(
        request.GET.get("page"))
    return render(request, "work/notifications.html", {"page": page})


@require_POST
def notification_open(request, pk):
    """Mark read and go to what it is about."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    if url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect(notification.url)
    return redirect("work:notifications")


@require_POST
def notifications_read(request):
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(
        read_at=timezone.now())
    messages.success(request, _("All notifications marked read."))
    return redirect("work:notifications")
