
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from . import admin_log
from .deadlines import deadlines_for_team
from .models import (
    AdministrationAction,
    DeadlineSettings,
    Membership,
    Municipality,
    Organisation,
    OrganisationSignOn,
    Role,
    SignOnDomain,
    SignOnIdentity,
    Team,
    TeamMember,
    User,
)
from .signals import password_link_requested


def refusing_own_care_role(form_class, acting_user):
    """
    Separated duties: nobody gives themself a role other than administrator. A care role would
    let them read client data on their own word alone, the leader's approve destroying records
    and the officer's read the logs that watch the administrators. Another administrator does
    it, and the administration log says who.
    """

    class MembershipForm(form_class):
        def clean(self):
            data = super().clean()
            member = data.get("user") or (self.instance.user_id and self.instance.user)
            giving = data.get("role") not in (None, Role.ADMIN) and data.get(
                "is_active", True) and not data.get("DELETE")
            if member == acting_user and giving:
                raise ValidationError(_(
                    "You cannot give yourself this role. Another administrator must do it."))
            if data.get("role") == Role.DATA_PROTECTION_OFFICER and giving and (
                    not acting_user.is_superuser):
                # The officer watches the administrators: none of them chooses who it is.
                raise ValidationError(_(
                    "Only a superuser gives the data protection officer's role."))
            return data

    return MembershipForm


def guarded_by_superusers(user, acting_user) -> bool:
    """A superuser's or another administrator's account is changed only by a superuser: an
    administrator who could change its e-mail address could take it over."""
    if acting_user.is_superuser or user == acting_user:
        return False
    return user.is_superuser or Membership.objects.active().filter(
        user=user, role=Role.ADMIN).exists()


class TolerantAutocompleteSelect(AutocompleteSelect):
    """
    The admin's autocomplete, showing a sent value that cannot be an id (letters, say) as no
    choice: Django's own looks it up as an id and fails with a server error where the form
    should only say that the choice is not valid.
    """

    def optgroups(self, name, value, attr=None):
        to_field = self.field.remote_field.get_related_field()

        def readable(item):
            try:
                to_field.to_python(item)
            except ValidationError:
                return False
            return True

        return super().optgroups(name, [item for item in value if readable(item)], attr)


class TolerantAutocomplete:
    """For admins and inlines with autocomplete fields: the widget above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = TolerantAutocompleteSelect(db_field, self.admin_site,
                                                          using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class BoundedInline:
    """
    An inline takes the rows it has and a few new ones per save, however many its management
    form claims: Django would otherwise build, check and show again up to two thousand forms.
    """

    new_rows = 20

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        rows = formset.model._default_manager.filter(**{formset.fk.name: obj}).count() if (
            obj is not None and obj.pk) else 0
        formset.absolute_max = rows + self.new_rows
        formset.max_num = min(formset.max_num, formset.absolute_max)
        return formset


class OwnCareRoleRefused:
    """For the membership inlines: their forms refuse the acting user's own care role."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = refusing_own_care_role(formset.form, request.user)
        return formset


class MembershipInline(BoundedInline, OwnCareRoleRefused, admin.StackedInline):
    """Stacked, with a plain list of organisations: every field has its own label, which the
    tabular layout and the autocomplete widget do not give to a screen reader."""

    model = Membership
    extra = 1
    fields = ["organisation", "role", "is_active"]


class OrganisationMembershipInline(BoundedInline, TolerantAutocomplete, OwnCareRoleRefused,
                                   admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]  # users run to thousands: a plain list would not do
    fields = ["user", "role", "is_active"]


class NewUserForm(forms.ModelForm):
    """A new user with a name and an e-mail address and no password: they set it themself
    from the link that saving sends them."""

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name", "email"):
            self.fields[name].required = True

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            user.save()
        return user


def may_send_password_link(user, by) -> bool:
    if not user.is_active or not user.email or guarded_by_superusers(user, by):
        return False
    return not admin_log.address_changed_recently(user, by=by)


def send_password_link(user, *, by) -> bool:
    """E-mail the user a link to set their own password, and log that it was sent."""
    if not may_send_password_link(user, by):
        return False
    password_link_requested.send(sender=User, user=user)
    admin_log.record(action=AdministrationAction.PASSWORD_RESET_SENT, obj=user,
                     target_user_id=user.pk, actor=by)
    return True


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "is_active", "last_login"]
    list_filter = [
        "is_active",
        "is_staff",
        ("memberships__role", admin.ChoicesFieldListFilter),
        ("memberships__organisation", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["username", "first_name", "last_name", "email"]
    inlines = [MembershipInline]
    # Separated duties: an administrator never knows or sets anyone's password. The user
    # sets it from a link sent to their own address (send_password_link).
    add_form = NewUserForm
    add_fieldsets = [
        (None, {"fields": ["username", "first_name", "last_name", "email", "language"],
                "description": _("Saving sends the user an e-mail with a link to set their "
                                 "password.")}),
    ]
    actions = ["send_password_links"]
    fieldsets = [
        (None, {"fields": ["username"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name", "email", "phone", "language"]}),
        (_("Status"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    # Staff status follows the admin role (teams/roles.py): set it by adding a membership.
    # Groups as a plain labelled list: the two-box filter widget fails screen readers.
    filter_horizontal = ()
    readonly_fields = ["is_staff", "last_login", "date_joined"]

    def get_readonly_fields(self, request, obj=None):
        # Only a superuser may make another: the admin role must not be a way to all rights.
        if request.user.is_superuser:
            return self.readonly_fields
        return [*self.readonly_fields, "is_superuser"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and guarded_by_superusers(obj, request.user):
            return False
        return super().has_change_permission(request, obj)

    def user_change_password(self, request, id, form_url=""):
        raise PermissionDenied(_("Administrators do not set passwords: send the user a link."))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            send_password_link(obj, by=request.user)

    @admin.action(description=_("Send a link to set the password"),
                  permissions=["change"])
    def send_password_links(self, request, queryset):
        sent = sum(send_password_link(user, by=request.user) for user in queryset)
        self.message_user(request, ngettext(
            "A link to set the password was sent to %(count)d user.",
            "A link to set the password was sent to %(count)d users.", sent) % {"count": sent},
            messages.SUCCESS)
        if sent < queryset.count():
            self.message_user(request, _(
                "Some users got no link: they have no e-mail address, are not active, are "
                "administrators (a superuser sends theirs), or you changed their address "
                "in the last seven days (another administrator sends theirs)."),
                messages.WARNING)


@admin.register(Municipality)
class MunicipalityAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "code"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "sector", "is_active"]
    list_filter = ["sector", "is_active", "municipalities"]
    search_fields = ["name"]
    filter_horizontal = ["municipalities"]
    inlines = [OrganisationMembershipInline]


@admin.register(Membership)
class MembershipAdmin(TolerantAutocomplete, SimpleHistoryAdmin):
    list_display = ["user", "organisation", "role", "is_active", "created_at"]
    list_filter = ["role", "is_active", "organisation__sector", "organisation"]
    search_fields = [
        "user__username", "user__first_name", "user__last_name", "organisation__name",
    ]
    autocomplete_fields = ["user", "organisation"]
    list_select_related = ["user", "organisation"]

    def get_form(self, request, obj=None, **kwargs):
        return refusing_own_care_role(super().get_form(request, obj, **kwargs), request.user)


class TeamMemberInline(BoundedInline, TolerantAutocomplete, admin.TabularInline):
    model = TeamMember
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Team)
class TeamAdmin(SimpleHistoryAdmin):
    list_display = ["name", "is_active"]
    list_filter = ["is_active", "municipalities"]
    search_fields = ["name"]
    filter_horizontal = ["municipalities"]
    inlines = [TeamMemberInline]


@admin.register(DeadlineSettings)
class DeadlineSettingsAdmin(SimpleHistoryAdmin):
    """The deadlines of the service path: the county's row (no team) and a team's own. Every
    change is written to the administration log (teams/admin_log.py)."""

    list_display = ["__str__", "in_effect"]
    list_select_related = ["team"]
    fieldsets = [
        (None, {"fields": ["team"]}),
        (_("Days to act, in working days (not weekends or public holidays)"), {"fields": [
            "booking_working_days", "urgent_booking_working_days", "feedback_working_days",
            "discussion_working_days", "action_overdue_working_days"]}),
        (_("Notice periods and intervals, on the calendar"), {"fields": [
            "consent_warning_days", "check_interval_months"]}),
        (_("In effect"), {"fields": ["in_effect"]}),
    ]
    readonly_fields = ["in_effect"]

    @admin.display(description=_("in effect"))
    def in_effect(self, obj):
        """What the row's clients get: its own numbers, the county's, else the defaults."""
        if obj is None or obj.pk is None:
            deadlines = deadlines_for_team(None)
        else:
            deadlines = deadlines_for_team(obj.team_id)
        return _(
            "booking {booking} (urgent {urgent}), feedback {feedback}, feedback discussion "
            "{discussion}, action overdue {action} working days; consent warning {warning} "
            "days before its end; next health check after {months} months"
        ).format(booking=deadlines.booking_working_days,
                 urgent=deadlines.urgent_booking_working_days,
                 feedback=deadlines.feedback_working_days,
                 discussion=deadlines.discussion_working_days,
                 action=deadlines.action_overdue_working_days,
                 warning=deadlines.consent_warning_days,
                 months=deadlines.check_interval_months)


class SignOnDomainInline(BoundedInline, admin.TabularInline):
    model = SignOnDomain
    extra = 1


@admin.register(OrganisationSignOn)
class OrganisationSignOnAdmin(SimpleHistoryAdmin):
    """An organisation's own identity provider for its staff (teams/sso.py). Every change is
    written to the administration log (teams/admin_log.py)."""

    list_display = ["organisation", "is_enabled", "issuer", "client_id"]
    list_filter = ["is_enabled"]
    list_select_related = ["organisation"]
    search_fields = ["organisation__name", "issuer", "domains__domain"]
    fields = ["organisation", "is_enabled", "issuer", "client_id", "private_key_file",
              "discovery_url", "match_claim"]
    inlines = [SignOnDomainInline]


@admin.register(SignOnIdentity)
class SignOnIdentityAdmin(SimpleHistoryAdmin):
    """Which provider identity logs in as which user. Made at a user's first single sign-on,
    never by hand; deleting one makes the next login match by the address again."""

    list_display = ["user", "issuer", "linked_at", "last_used_at"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__last_name", "issuer"]
    readonly_fields = ["user", "issuer", "subject", "linked_at", "last_used_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
