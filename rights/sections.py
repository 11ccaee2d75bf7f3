"""The client page's part for the client's right of access: the way to the data package."""

from cases.sections import section


@section
def data_package(request, client) -> dict:
    """Staff of an organisation that serves the client produce the package (rights.views)."""
    return {"may_produce_data_package": client.access.served}
