"""The client page's meeting part."""

from cases.sections import section


@section
def meeting_actions(request, client) -> dict:
    return {"may_book_meeting": request.user.has_perm("meetings.book_meeting")}
