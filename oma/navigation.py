"""The menu of Oma Työkyky: one place, each page a line."""

from django.utils.translation import gettext_lazy as _

# (URL name, label), in the order of the menu.
ITEMS = [
    ("oma:home", _("Front page")),
    ("oma:contacts", _("Contact persons")),
    ("oma:appointments", _("Coming times")),
    ("oma:plan", _("Your plan")),
    ("oma:health_check_feedback", _("Health check feedback")),
    ("oma:self_assessments", _("Self-assessment")),
    ("oma:meeting_feedback_list", _("Feedback on meetings")),
    ("oma:consents", _("My consents")),
    ("oma:who_viewed", _("Who has viewed my data")),
]


def oma_navigation(request):
    if getattr(request, "client", None) is None:
        return {}
    return {"oma_navigation": [{"url_name": name, "label": label} for name, label in ITEMS]}
