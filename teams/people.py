"""
Choosing people (case managers, the person responsible, a discussion's holder, a doctor) by
searching their name instead of reading a list of every care worker in the country.

Each purpose names its rule once, in PURPOSES: the form field validates the posted ids against
it and the search endpoint (`people_search`) answers from it, at most MAX_MATCHES at a time.
The picker follows the WAI-ARIA Authoring Practices' "editable combobox with list
autocomplete" (static/js/people_picker.js); without JavaScript the same markup is a search
field and a "Search" button that reloads the form with the matches as checkboxes or radio
buttons, everything typed elsewhere in the form kept (PeoplePickerFormMixin).
"""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.forms.utils import ErrorDict
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tyokyky.forms import id_or_none

from .choices import CARE_ROLES
from .models import Membership, Role, care_staff

User = get_user_model()

MAX_MATCHES = 20
MIN_QUERY = 2  # characters; fewer find nobody, so that nobody pages through the staff
MAX_QUERY = 100

# The submit buttons of the picker without JavaScript: their value names the field.
SEARCH_BUTTON = "people_search"
REMOVE_BUTTON = "people_remove"

# Who each picker accepts. The form validates against the same rule the endpoint searches.
PURPOSES = {
    "care_staff": care_staff,
    "nurse": lambda: care_staff().filter(memberships__role=Role.NURSE),
    "doctor": lambda: care_staff().filter(memberships__role=Role.DOCTOR),
}


def people_for(purpose: str):
    """Everyone a picker of this purpose accepts."""
    return PURPOSES[purpose]()


def search_people(purpose: str, query: str) -> list:
    """At most MAX_MATCHES people of the purpose whose names hold every word typed, by name,
    with their active memberships for the label."""
    # NUL and broken UTF-8 never get here (tyokyky.middleware); a long text is cut.
    words = query[:MAX_QUERY].split()
    if len("".join(words)) < MIN_QUERY:
        return []
    people = people_for(purpose)
    for word in words:
        people = people.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    return list(people.prefetch_related(_active_memberships())[:MAX_MATCHES])


def _active_memberships():
    return Prefetch("memberships", to_attr="active_memberships",
                    queryset=Membership.objects.filter(is_active=True)
                    .select_related("organisation").order_by("organisation__name"))


def person_label(user) -> str:
    """The name, and where the person works: two care workers may share a name."""
    memberships = getattr(user, "active_memberships", None)
    if not memberships:
        return str(user)
    places = ", ".join(dict.fromkeys(str(m.organisation) for m in memberships))
    return f"{user} ({places})"


# --- The form side ------------------------------------------------------------------------------


class PeoplePicker(forms.Widget):
    """The chosen people as chips with a remove button, a search field and, after a search
    without JavaScript, the matches to tick. Renders no list of everyone."""

    template_name = "teams/_people_picker.html"

    def __init__(self, *, purpose: str, multiple: bool, attrs=None):
        super().__init__(attrs)
        self.purpose = purpose
        self.multiple = multiple
        self.queryset = None  # set by the field
        self.query = ""
        self.label = ""

    def value_from_datadict(self, data, files, name):
        self.query = (data.get(f"{name}_q") or "")[:MAX_QUERY]
        values = data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        if self.multiple or not isinstance(values, list):
            return values
        # A match ticked after a search comes before the chip of the one chosen earlier.
        return values[0] if values else None

    def value_omitted_from_data(self, data, files, name):
        # Like a checkbox: nobody chosen sends nothing, and that is an answer (the chip removed).
        return False

    def format_value(self, value):
        values = value if isinstance(value, list | tuple) else [value]
        return [str(v) for v in values if v not in (None, "")]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # Ids as sent back by anyone: only those that read as ids are looked up.
        ids = [pk for pk in map(id_or_none, context["widget"]["value"]) if pk]
        chosen = list(self.queryset.filter(pk__in=ids).prefetch_related(
            _active_memberships())) if ids and self.queryset is not None else []
        matches = search_people(self.purpose, self.query) if self.query else []
        chosen_ids = {person.pk for person in chosen}
        context["widget"].update({
            "purpose": self.purpose, "multiple": self.multiple, "query": self.query,
            "label": self.label,
            "chosen": [(person.pk, person_label(person)) for person in chosen],
            "searched": bool(self.query),
            "matches": [(person.pk, person_label(person)) for person in matches
                        if person.pk not in chosen_ids],
            "search_button": SEARCH_BUTTON, "remove_button": REMOVE_BUTTON,
        })
        return context

    def id_for_label(self, id_):
        return f"{id_}_q" if id_ else id_


class _PickerField:
    def __init__(self, *, purpose: str, **kwargs):
        kwargs.setdefault("widget", PeoplePicker(purpose=purpose,
                                                 multiple=self.multiple))
        super().__init__(queryset=people_for(purpose), **kwargs)
        self.purpose = purpose
        self.widget.label = self.label

    def _set_queryset(self, queryset):
        super()._set_queryset(queryset)
        self.widget.queryset = self._queryset

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)


class PersonField(_PickerField, forms.ModelChoiceField):
    """One person, chosen by searching. The posted id is checked against the whole purpose,
    not only the matches shown."""

    multiple = False


class PeopleField(_PickerField, forms.ModelMultipleChoiceField):
    """Several people, chosen by searching."""

    multiple = True


def use_people_picker(form, name: str, purpose: str) -> None:
    """Replace a model form's generated person field by the picker, keeping its label, help
    text, requiredness and messages."""
    old = form.fields[name]
    field_class = PeopleField if isinstance(old, forms.ModelMultipleChoiceField) else PersonField
    field = field_class(purpose=purpose, label=old.label, required=old.required,
                        help_text=old.help_text, initial=old.initial)
    field.error_messages.update(old.error_messages)
    form.fields[name] = field


class PeoplePickerFormMixin:
    """
    A form with people pickers that works without JavaScript: the "Search" button and the
    chips' remove buttons submit the whole form, which comes back with what was typed kept,
    neither saved nor marked with errors.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        removal = self.data.get(REMOVE_BUTTON, "") if self.is_bound else ""
        name, _sep, pk = removal.rpartition(":")
        if name in {self.add_prefix(field) for field in self.fields} and hasattr(
                self.data, "getlist"):
            data = self.data.copy()
            data.setlist(name, [v for v in data.getlist(name) if v != pk])
            self.data = data

    @property
    def searching_people(self) -> bool:
        return self.is_bound and (SEARCH_BUTTON in self.data or REMOVE_BUTTON in self.data)

    def full_clean(self):
        if self.searching_people:
            self._errors = ErrorDict()
            self.cleaned_data = {}
            return
        super().full_clean()

    def is_valid(self):
        return not self.searching_people and super().is_valid()


# --- The endpoint -------------------------------------------------------------------------------


def _is_care_staff(user) -> bool:
    return user.is_authenticated and Membership.objects.filter(
        user=user, is_active=True, role__in=CARE_ROLES).exists()


@require_GET
def people_search(request):
    """
    The matches of a picker as the listbox's options (htmx). Only people a form of the purpose
    accepts — staff names, never client data — and only for care staff, who fill those forms.
    """
    if not _is_care_staff(request.user):
        raise PermissionDenied
    purpose = request.GET.get("purpose", "")
    matches = search_people(purpose, request.GET.get("q", "")) if purpose in PURPOSES else []
    return render(request, "teams/_people_options.html", {
        "matches": [(person.pk, person_label(person)) for person in matches],
    })
