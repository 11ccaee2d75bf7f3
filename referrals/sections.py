"""The client page's referral part: the last health check and what the user may refer."""

from cases.sections import section

from .models import HealthCheck


@section
def health_check_status(request, client) -> dict:
    user, access = request.user, client.access
    return {
        "last_check": client.first(HealthCheck.objects.all()),
        "may_refer": access.knows_client and user.has_perm("referrals.add_referral"),
        "may_self_refer": access.served and user.has_perm("referrals.handle_referral"),
        "may_assess": user.has_perm("referrals.add_doctorassessment"),
    }
