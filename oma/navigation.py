"""The menu of Oma Työkyky: one place, each page a line."""

from django.utils.translation import gettext_lazy as _

# (URL name, label), in the order of the menu.
ITEMS = [
    ("oma:home", _("Front page")),
]


def oma_navigation(request):
    if getattr(request, "client", None) is None:
        return {}
    return {"oma_navigation": [{"url_name": name, "label": label} for name, label in ITEMS]}
