"""Templates are compiled once per process in production, form widgets included."""

from django import forms
from django.conf import settings as django_settings
from django.forms.renderers import get_default_renderer
from django.template import engines
from django.template.backends.django import DjangoTemplates
from django.template.loaders.cached import Loader as CachedLoader

from tyokyky.forms import HdsFormRenderer


def _engine_as_in_production(settings):
    """The project's TEMPLATES setting read afresh with DEBUG off, as production starts."""
    settings.DEBUG = False
    config = dict(django_settings.TEMPLATES[0])
    config.pop("BACKEND")
    options = dict(config.pop("OPTIONS"))
    return DjangoTemplates({**config, "NAME": "production", "OPTIONS": options})


def test_production_uses_the_cached_template_loader(settings):
    engine = _engine_as_in_production(settings)
    assert isinstance(engine.engine.template_loaders[0], CachedLoader)
    assert len(engine.engine.template_loaders) == 1


def test_forms_render_through_the_cached_loader():
    """The form renderer takes its templates from the project's engine, so a field's template is
    compiled once, not at every field of every page."""

    class Form(forms.Form):
        name = forms.CharField()
        kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")])

    renderer = get_default_renderer()
    assert isinstance(renderer, HdsFormRenderer)
    str(Form())
    loader = engines["django"].engine.template_loaders[0]
    assert isinstance(loader, CachedLoader)
    cached = set(loader.get_template_cache)
    assert {"forms/field.html", "django/forms/widgets/select.html"} <= cached


def test_the_select_widget_includes_no_template_per_option():
    source = (django_settings.BASE_DIR / "templates/django/forms/widgets/select.html").read_text()
    loop = source[source.index("{% for option"):source.index("{% endfor %}")]
    assert "{% include" not in loop
