"""A test-only URLconf (pytest.mark.urls): the portal's URLs plus views that fail or cache on purpose."""
from django.http import HttpResponse
from django.urls import include, path


def fail(request):
    raise RuntimeError("a forced failure for the 500 page test")


def _connect(conn_params, conninfo, url):
    raise RuntimeError("a forced connection failure")


def fail_connecting(request):
    """A database that cannot be reached: the frames of the connection carry its password in their
    variables, as Django's and psycopg's own frames do (conn_params, kwargs, conninfo, attempts)."""
    # The secrets are put together at run time: the page also shows these source lines.
    secret = "s3cr" + "et-"
    conn_params = {"dbname": "quota", "user": "quota", "password": secret + "frame", "host": "db.internal"}
    attempts = [dict(conn_params, hostaddr="10.0.0.5")]
    _connect(conn_params, f"dbname=quota user=quota password={secret}conninfo host=db.internal",
             f"redis://:{secret}url@cache.internal:6379/0")
    return attempts


def forbidden(request):
    from django.core.exceptions import PermissionDenied

    raise PermissionDenied("a forced refusal")


def cacheable(request):
    response = HttpResponse("public text")
    response["Cache-Control"] = "public, max-age=60"
    return response


urlpatterns = [
    path("test-only/fail/", fail),
    path("test-only/fail-connecting/", fail_connecting),
    path("test-only/cacheable/", cacheable),
    path("test-only/forbidden/", forbidden),
    path("", include("quota_portal.urls")),
]
