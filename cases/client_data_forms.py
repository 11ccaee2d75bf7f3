"""Forms of the client's employment situation and support network (cases/client_data.py)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.models import EmploymentSituation, JobseekerStatus, SupportContact
from tyokyky.forms import DateInput, bounded_formfield
from tyokyky.versions import VersionedForm


class EmploymentSituationForm(VersionedForm, forms.ModelForm):
    """The organisation's record of the client's employment situation now; saving replaces
    the current one, and the earlier stays in the history."""

    class Meta:
        model = EmploymentSituation
        formfield_callback = bounded_formfield
        fields = ["jobseeker_status", "jobseeker_since", "income_source",
                  "employment_plan_in_force"]
        widgets = {"jobseeker_since": DateInput, "jobseeker_status": forms.RadioSelect,
                   "income_source": forms.RadioSelect}
        labels = {"jobseeker_since": _("Jobseeker status since")}
        help_texts = {
            "income_source": _("Shown to other organisations only under a consent for "
                               "benefits and rehabilitation."),
            "employment_plan_in_force": _("The employment plan (työllistymissuunnitelma) or "
                                          "its equivalent made at employment services."),
        }
        error_messages = {
            "jobseeker_status": {"required": _("Choose the client's jobseeker status.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "Not known" instead of an empty radio button without a label.
        self.fields["income_source"].choices = [
            ("", _("Not known")), *[c for c in self.fields["income_source"].choices if c[0]]]
        self.fields["jobseeker_status"].choices = list(JobseekerStatus.choices)

    def clean_jobseeker_since(self):
        since = self.cleaned_data.get("jobseeker_since")
        if since and since > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return since


class SupportContactForm(VersionedForm, forms.ModelForm):
    """A person of the client's support network and how to reach them."""

    class Meta:
        model = SupportContact
        fields = ["name", "kind", "organisation_name", "phone", "email", "note"]
        help_texts = {
            "organisation_name": _("For example the employer's company or the association."),
            "note": _("For example: the client's sister; attends meetings with the client."),
        }
        error_messages = {
            "name": {"required": _("Write the person's name.")},
            "kind": {"required": _("Choose who the person is to the client.")},
        }
