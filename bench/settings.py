"""The product's settings plus one bare view, the floor every page is compared with."""

from tyokyky.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
