"""The pages of Oma Työkyky. Each shows only `request.client`, the identified client as the
policy hands them out (consents/own.py), and `render_own` writes the access log from what the
page showed, as the client's own read."""

from consents.own import render_own

from .session import client_required


@client_required
def home(request):
    return render_own(request, "oma/home.html")
