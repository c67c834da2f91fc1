from quota_portal.core.models import Membership, Role, User


def test_the_language_switch_stores_the_choice_on_the_user_and_in_a_cookie(cast):
    client = cast.client(cast.employer)
    response = client.post("/language/", {"language": "kk", "next": "/dashboard/"})
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    assert response.cookies["qp_language"].value == "kk"
    assert User.objects.get(pk=cast.employer.pk).language == "kk"
    page = client.get("/dashboard/")
    assert '<html lang="kk">' in page.content.decode()
    assert client.get("/kk/dashboard/").status_code == 404  # no language prefix in URLs
    client.post("/language/", {"language": "en", "next": "/dashboard/"})
    assert '<html lang="en">' in client.get("/dashboard/").content.decode()


def test_an_anonymous_visitor_switches_language_by_cookie_and_bad_input_is_ignored(db):
    from django.test import Client

    client = Client()
    response = client.post("/language/", {"language": "xx", "next": "https://evil.example.com/"})
    assert response["Location"] == "/"
    assert response.cookies["qp_language"].value == "ru"
    client.post("/language/", {"language": "en", "next": "/"})
    assert '<html lang="en">' in client.get("/").content.decode()


def test_a_user_with_two_memberships_switches_whom_they_act_for(cast):
    second = Membership.objects.create(user=cast.employer, role=Role.EMPLOYER_VIEWER, organization=cast.org2)
    client = cast.client(cast.employer)
    page = client.get("/dashboard/").content.decode()
    assert "Астана Құрылыс" in _acting_as(page)
    response = client.post("/acting-as/", {"membership": second.pk})
    assert response.status_code == 302
    page = client.get("/dashboard/").content.decode()
    assert "Атырау Мунай Сервис" in _acting_as(page)


def test_a_user_cannot_act_through_someone_elses_membership(cast):
    foreign = Membership.objects.get(user=cast.employer2)
    client = cast.client(cast.employer)
    client.post("/acting-as/", {"membership": foreign.pk})
    assert "Астана Құрылыс" in _acting_as(client.get("/dashboard/").content.decode())
    client.post("/acting-as/", {"membership": "not-a-number"})
    assert "Астана Құрылыс" in _acting_as(client.get("/dashboard/").content.decode())


def test_the_dashboard_counts_down_to_the_next_deadline_of_the_acting_role(cast):
    import time_machine

    from tests.conftest import almaty

    expected = {
        cast.employer: ("Employers file applications", "2027-10-01T00:00:00+05:00"),
        cast.akimat_officer: ("Akimat generalizes applications", "2027-10-10T00:00:00+05:00"),
        cast.secretary: ("Applications put before the Commission", "2027-10-16T00:00:00+05:00"),
        cast.central_officer: ("Central bodies send proposals", "2027-11-01T00:00:00+05:00"),
        cast.analyst: ("Ministry sets and distributes the quota", "2027-01-01T00:00:00+05:00"),
    }
    with time_machine.travel(almaty(2026, 11, 25, 10, 0, 0), tick=False):
        for user, (label, closes) in expected.items():
            client = cast.client(user)
            client.post("/language/", {"language": "en"})
            # The akimat's countdown is for the quota year of its year switch, as its counts are:
            # the working campaign (2027) has none of its deadlines left, 2028 has.
            akimat = user in (cast.akimat_officer, cast.secretary)
            if akimat:
                assert 'data-testid="next-deadline"' not in client.get("/dashboard/").content.decode()
            page = client.get("/dashboard/", {"campaign": "2028"} if akimat else {}).content.decode()
            block = page[page.index('data-testid="next-deadline"'):]
            assert label in block[:2000], user
            assert f'data-countdown="{closes}"' in block, user


def _acting_as(page: str) -> str:
    start = page.index('data-testid="acting-as"')
    return page[start:start + 400]
