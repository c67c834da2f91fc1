import pytest

from applications.models import Application
from quota_portal.core.scoping import ScopeError, activate


def test_an_unscoped_query_raises():
    with activate(None):
        with pytest.raises(ScopeError):
            list(Application.objects.all())


def test_the_dashboard_greets_an_employer(cast):
    response = cast.client(cast.employer).get("/dashboard/")
    assert response.status_code == 200
    assert "Астана Құрылыс" in response.content.decode()
