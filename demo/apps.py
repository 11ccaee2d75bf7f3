from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo staff and the six demo clients of `make run`: the top layer, which uses every
    app's services and which nothing imports."""

    name = "demo"
