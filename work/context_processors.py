from django.utils.functional import SimpleLazyObject

from .models import Notification


def unread_notifications(request):
    """The number on the bell (one query, lazily, only when a page shows it)."""

    def count():
        if not request.user.is_authenticated:
            return 0
        return Notification.objects.filter(user=request.user, read_at__isnull=True).count()

    return {"unread_notifications": SimpleLazyObject(count)}
