"""A test-only URLconf (pytest.mark.urls): the portal's URLs plus views that fail or cache on purpose."""
from django.http import HttpResponse
from django.urls import include, path


def fail(request):
    raise RuntimeError("a forced failure for the 500 page test")


def cacheable(request):
    response = HttpResponse("public text")
    response["Cache-Control"] = "public, max-age=60"
    return response


urlpatterns = [
    path("test-only/fail/", fail),
    path("test-only/cacheable/", cacheable),
    path("", include("quota_portal.urls")),
]
