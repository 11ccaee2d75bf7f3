"""
The fuzz suite's tools: hostile values, the forms of a page as a browser sees them, and
requests sent the way a hostile client could send them (tests/test_hostile_input.py).

Bodies and query strings are built by hand, percent-encoding each value's bytes: a browser
sends UTF-8, a hostile client anything — here the UTF-8 form of a lone surrogate, which no
string can be encoded to without `surrogatepass`.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import quote, urljoin, urlsplit

from django.utils import timezone

LONG = "ä" * 10_000
NUL = "a\x00b"
SURROGATE = "a\ud800b"
RTL = "\u202eabc"
HUGE = "99999999999999999999"
NUMBER_LIKE = "²"  # a digit to str.isdigit(), not to int()

TEXT_VALUES = {"long": LONG, "nul": NUL, "surrogate": SURROGATE, "rtl": RTL}
NUMBER_VALUES = {"negative": "-1", "huge": HUGE, "letters": "abc", "superscript": NUMBER_LIKE}
DATE_VALUES = {"year 1": "0001-01-01", "year 9999": "9999-12-31", "30 February": "2026-02-30"}
DATETIME_VALUES = {"year 1": "0001-01-01T00:00", "year 9999": "9999-12-31T23:59",
                   "30 February": "2026-02-30T10:00"}
# The first and last days a form takes (tyokyky/forms.py): stored, they must read back.
EDGE_DATES = {"earliest": "1900-01-01", "latest": "2100-12-31"}
EDGE_DATETIMES = {"earliest": "1900-01-01T00:00", "latest": "2100-12-31T23:59"}
TIME_VALUES = {"25 o'clock": "25:61", "letters": "abc"}
TOTAL_VALUES = {"letters": "abc", "millions": "3000000", "huge": HUGE, "negative": "-1"}
# Query parameters: what does not read as a date, a number or an id.
QUERY_JUNK = {"30 February": "2026-02-30", **NUMBER_VALUES}

TEXT_TYPES = {"text", "search", "email", "url", "tel", "password", "textarea"}
CHOICE_TYPES = {"select", "radio", "checkbox"}
MANAGEMENT_SUFFIXES = ("-TOTAL_FORMS", "-INITIAL_FORMS", "-MIN_NUM_FORMS", "-MAX_NUM_FORMS")


@dataclass
class Field:
    name: str
    type: str
    values: list[str] = field(default_factory=list)  # what a browser would send now
    options: list[str] = field(default_factory=list)  # for choices

    @property
    def is_management(self) -> bool:
        return self.name.endswith(MANAGEMENT_SUFFIXES)


@dataclass
class Form:
    method: str
    action: str
    fields: dict[str, Field] = field(default_factory=dict)
    buttons: list[tuple[str, str]] = field(default_factory=list)  # named submit buttons

    def add(self, name, kind, value=None, *, selected=False, option=None):
        current = self.fields.setdefault(name, Field(name, kind))
        if option is not None:
            current.options.append(option)
        if value is not None and (selected or kind not in CHOICE_TYPES):
            current.values.append(value)


class FormParser(HTMLParser):
    """The `<form>` elements of a page: method, action, fields and named buttons."""

    def __init__(self, page_url):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self.form = None
        self.textarea = None
        self.select = None
        self.option = None

    def handle_starttag(self, tag, attrs):
        attrs = {name: value if value is not None else "" for name, value in attrs}
        if tag == "form":
            action = urljoin(self.page_url, attrs.get("action") or self.page_url)
            self.form = Form(attrs.get("method", "get").lower(), action)
            self.forms.append(self.form)
            return
        if self.form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "image", "button", "reset"):
                if kind == "submit":
                    self.form.buttons.append((name, attrs.get("value", "")))
                return
            if kind in ("checkbox", "radio"):
                self.form.add(name, kind, attrs.get("value", "on"),
                              selected="checked" in attrs, option=attrs.get("value", "on"))
            else:
                self.form.add(name, kind, attrs.get("value", ""))
        elif tag == "button" and name and attrs.get("type", "submit") == "submit":
            self.form.buttons.append((name, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self.textarea = [name, ""]
        elif tag == "select" and name:
            self.select = name
            self.form.add(name, "select")
        elif tag == "option" and self.select:
            self.option = [attrs.get("value"), "selected" in attrs, ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data
        if self.option is not None:
            self.option[2] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "textarea" and self.textarea is not None:
            self.form.add(self.textarea[0], "textarea", self.textarea[1].strip("\n"))
            self.textarea = None
        elif tag == "option" and self.option is not None:
            value, selected, text = self.option
            value = text.strip() if value is None else value
            self.form.add(self.select, "select", value, selected=selected, option=value)
            self.option = None
        elif tag == "select":
            self.select = None


def forms_of(page_url: str, html: str) -> list[Form]:
    parser = FormParser(page_url)
    parser.feed(html)
    parser.close()
    return parser.forms


# --- A valid submission to start from -----------------------------------------------------------

def _plain_value(field: Field) -> str:
    """What a person would type into an empty field of this kind."""
    today = timezone.localdate()
    return {
        "email": "testi@example.invalid",
        "url": "https://example.invalid/kokous",
        "tel": "040 123 4567",
        "date": today.isoformat(),
        "datetime-local": f"{today + timedelta(days=1)}T10:00",
        "time": "10:00",
        "number": "1",
    }.get(field.type, "Testi")


def baseline(form: Form, overrides: dict | None = None) -> list[tuple[str, str]]:
    """
    The form as a person fills it in: what is already there, the first option of a choice,
    one box of a required-looking checkbox group, "Testi" in empty text fields.
    `overrides` replaces a field's values (None leaves it out).
    """
    overrides = overrides or {}
    pairs = []
    for name, current in form.fields.items():
        if name in overrides:
            values = overrides[name]
            pairs += [(name, value) for value in ([] if values is None else
                                                 [values] if isinstance(values, str) else
                                                 values)]
            continue
        values = [v for v in current.values if v != ""] if current.type in CHOICE_TYPES else (
            current.values)
        if not values and current.type in ("select", "radio"):
            values = [next((o for o in current.options if o), "")]
        elif not values and current.type == "checkbox" and len(current.options) > 1:
            values = current.options[:1]
        elif current.type not in CHOICE_TYPES and current.type != "hidden" and (
                not values or values == [""]):
            values = [_plain_value(current)]
        pairs += [(name, value) for value in values]
    return pairs


def replace(pairs, name, values) -> list[tuple[str, str]]:
    """The submission with the field's values replaced (an empty list leaves it out)."""
    kept = [(n, v) for n, v in pairs if n != name]
    return kept + [(name, value) for value in values]


def _one_of(values: dict, turn: int) -> dict[str, list[str]]:
    kind, value = list(values.items())[turn % len(values)]
    return {kind: [value]}


def hostile_values(current: Field, turn: int = 0) -> dict[str, list[str]]:
    """
    For one field: a name for each hostile kind, and the values sent for it.

    One value per kind, not every combination. Where several values test the same thing, the
    field's `turn` picks one, so that the fields of a form take them in turn: the texts of a
    text area (stored as they are), the ids of a choice, a number, a missing or repeated
    choice. A one-line text field always gets the long text, which its length limit must
    stop; dates, date-times and formset counts get every value of theirs, and the first and
    the last day that may be stored.
    """
    kinds: dict[str, list[str]] = {}
    if current.is_management:
        return {kind: [value] for kind, value in TOTAL_VALUES.items()}
    if current.type in TEXT_TYPES - {"textarea"}:
        kinds["long"] = [LONG]
        kinds.update(_one_of({k: v for k, v in TEXT_VALUES.items() if k != "long"}, turn))
    elif current.type == "textarea":
        kinds.update(_one_of(TEXT_VALUES, turn))
    elif current.type == "hidden":
        kinds.update(_one_of(TEXT_VALUES, turn))
        kinds.update(_one_of(NUMBER_VALUES, turn))
        kinds["missing"] = []
    else:  # a choice, date, number or time: missing or repeated, in turn
        structure = [("missing", []), ("repeated", [*current.values[:1], "abc"])]
        kind, values = structure[turn % len(structure)]
        kinds[kind] = values
    if current.type in CHOICE_TYPES:
        kinds.update(_one_of(NUMBER_VALUES, turn))
    if current.type == "number":
        kinds.update(_one_of(NUMBER_VALUES, turn))
    if current.type == "date":
        kinds.update({kind: [value] for kind, value in DATE_VALUES.items()})
        kinds.update({kind: [value] for kind, value in EDGE_DATES.items()})
    if current.type == "datetime-local":
        kinds.update({kind: [value] for kind, value in DATETIME_VALUES.items()})
        kinds.update({kind: [value] for kind, value in EDGE_DATETIMES.items()})
    if current.type == "time":
        kinds.update({kind: [value] for kind, value in TIME_VALUES.items()})
    return kinds


def query_values(turn: int = 0) -> dict[str, list[str]]:
    """For one query parameter, whatever the page takes it for: a hostile text (in turn), a
    day of year 1 and of year 9999, each kind of junk for a date, a number or an id, and the
    parameter twice."""
    return {**_one_of(TEXT_VALUES, turn), "year 1": ["0001-01-01"],
            "year 9999": ["9999-12-31"], **{kind: [value] for kind, value in QUERY_JUNK.items()},
            "repeated": ["1", "abc"]}


def whole_form_values(start: list[tuple[str, str]]) -> dict[str, list]:
    """Kinds that take the whole form at once: nothing sent, and every field sent twice."""
    return {"every field missing": [], "every field repeated": [
        pair for name, value in start for pair in ((name, value), (name, "abc"))]}


# --- Sending ------------------------------------------------------------------------------------

def encode(pairs) -> str:
    """application/x-www-form-urlencoded, lone surrogates included as their UTF-8 form."""
    return "&".join(
        f"{quote(name.encode('utf-8', 'surrogatepass'))}="
        f"{quote(value.encode('utf-8', 'surrogatepass'))}"
        for name, value in pairs
    )


def send(client, method: str, url: str, pairs=()):
    """The request a hostile browser would send: a form body, or a query string."""
    if method == "post":
        return client.generic("POST", url, encode(pairs),
                              content_type="application/x-www-form-urlencoded")
    query = encode(pairs)
    path = urlsplit(url).path
    return client.get(f"{path}?{query}" if query else path)
