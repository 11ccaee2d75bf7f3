"""The client page's part of Oma Työkyky: the client's requests to move a time the viewer's
organisation holds (oma/holding.py says who reads them)."""

from cases.sections import section

from .holding import held_requests


@section
def move_requests(request, client) -> dict:
    return {"held_move_requests": held_requests(client)}
