from django.http import HttpResponse
from django.urls import path

from tyokyky.urls import urlpatterns as product


def hello(request):
    """The floor: the same middleware, session and login as every page, and nothing else."""
    return HttpResponse("Hei")


urlpatterns = [path("bench/hello/", hello, name="bench_hello"), *product]
