from django.utils.functional import SimpleLazyObject


def current_memberships(request):
    """The logged-in user's organisations and roles, for the page header (one query, lazily)."""

    def load():
        if not request.user.is_authenticated:
            return []
        return list(request.user.memberships.active().select_related("organisation"))

    return {"current_memberships": SimpleLazyObject(load)}
