from django.utils.functional import SimpleLazyObject


def current_memberships(request):
    """The logged-in user's organisations and roles, for the page header (one query, lazily)."""

    def load():
        if not request.user.is_authenticated:
            return []
        return list(request.user.memberships.active().select_related("organisation"))

    return {"current_memberships": SimpleLazyObject(load)}


def unread_notifications(request):
    """The number on the bell (one query, lazily, only when a page shows it)."""

    def count():
        if not request.user.is_authenticated:
            return 0
        from plans.models import Notification

        return Notification.objects.filter(user=request.user, read_at__isnull=True).count()

    return {"unread_notifications": SimpleLazyObject(count)}
