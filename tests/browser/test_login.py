import pytest

from tests.browser.conftest import login, screenshot
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_employer_logs_in_and_sees_whom_they_act_for(page, cast):
    login(page, cast.employer.email, PASSWORD)
    assert "Астана Құрылыс" in page.get_by_test_id("acting-as").inner_text()
    screenshot(page, "dashboard-employer")


def test_an_email_typed_with_capitals_logs_in(page, cast):
    login(page, cast.employer2.email.title(), PASSWORD)
    assert page.url.endswith("/dashboard/")
