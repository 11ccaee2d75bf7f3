from django.conf import settings


def absolute(path: str) -> str:
    """A path of the app as a full address, for e-mails and calendars (SITE_URL)."""
    return settings.SITE_URL.rstrip("/") + path
