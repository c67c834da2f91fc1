import datetime as dt

import pytest

from quota_portal.core.audit import history_for
from quota_portal.core.models import CalendarException, Campaign, Country

MINISTRY_URLS = ["/ministry/campaigns/", "/ministry/campaigns/2027/", "/ministry/calendar/",
                 "/ministry/countries/", "/ministry/countries/UZ/"]


def campaign_form(campaign: Campaign, **changes) -> dict:
    data = {}
    for field in ["filing_opens", "filing_deadline", "generalization_deadline", "labour_immigrants_deadline",
                  "commission_deadline", "submission_deadline", "proposals_deadline", "distribution_deadline"]:
        data[field] = getattr(campaign, field).isoformat()
    for name in ["filing", "generalization", "labour_immigrants", "commission", "submission", "proposals",
                 "distribution"]:
        data[f"{name}_deadline_kind"] = getattr(campaign, f"{name}_deadline_kind")
    data.update(notice_working_days=5, publication_working_days=3)
    data.update(changes)
    return data


@pytest.mark.parametrize("who", ["employer", "employer2", "akimat_officer", "secretary", "member",
                                 "central_officer", "outsider"])
def test_only_the_ministry_sees_the_reference_pages(cast, who):
    client = cast.client(getattr(cast, who))
    for url in MINISTRY_URLS:
        assert client.get(url).status_code == 404, url
    assert client.post("/ministry/calendar/", {"day": "2026-12-19", "is_working_day": "on",
                                               "reason": "x"}).status_code == 404
    assert not CalendarException.objects.exists()


def test_anonymous_visitors_are_sent_to_login(cast):
    response = cast.client(None).get("/ministry/campaigns/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_ministry_moves_a_deadline_and_the_history_shows_who_and_what(cast):
    client = cast.client(cast.analyst)
    assert client.get("/ministry/campaigns/").status_code == 200
    response = client.post("/ministry/campaigns/2028/",
                           campaign_form(cast.next_campaign, filing_deadline="2027-10-02",
                                         filing_deadline_kind="no_later_than"))
    assert response.status_code == 302
    campaign = Campaign.objects.get(year=2028)
    assert campaign.filing_deadline == dt.date(2027, 10, 2)
    assert campaign.filing_deadline_kind == "no_later_than"
    history = history_for(campaign)
    change = history[-1]
    assert change["user"] == cast.analyst and change["action"] == "campaign_update"
    assert change["changes"]["filing_deadline"] == {"before": "2027-10-01", "after": "2027-10-02"}
    client.cookies["qp_language"] = "en"
    page = client.get("/ministry/campaigns/2028/").content.decode()
    assert "Deadlines changed" in page and "02.10.2027" in page


def test_the_history_reads_as_words_in_kazakh(cast):
    """Field labels, choice labels, local dates and the action's name, not code and ISO values."""
    from django.utils import translation
    from django.utils.translation import gettext, pgettext

    client = cast.client(cast.analyst)
    client.post("/ministry/campaigns/2028/", campaign_form(cast.next_campaign, filing_deadline="2027-10-02",
                                                          filing_deadline_kind="no_later_than"))
    client.cookies["qp_language"] = "kk"
    page = client.get("/ministry/campaigns/2028/", headers={"accept-language": "kk"}).content.decode()
    history = page[page.index('data-testid="history"'):]
    with translation.override("kk"):
        expected = [gettext("Deadlines changed"), pgettext("history event", "Change"), gettext("filing deadline (p.6)"),
                    gettext("no later than (closes at 24:00 on the date)"),
                    gettext("until (closes at 00:00 on the date)")]
    for text in expected:
        assert text in history or text[:1].upper() + text[1:] in history, text
    assert "01.10.2027" in history and "02.10.2027" in history
    for raw in ("campaign_update", ">filing_deadline<", "no_later_than<", "2027-10-02<", "update<", "Т.Қ."):
        assert raw not in history, raw
    assert cast.analyst.email in history
    import re

    assert re.search(r'<time datetime="[^"]+">\d\d\.\d\d\.\d{4} \d\d:\d\d</time>', history)


def test_a_deadline_out_of_the_rules_order_is_refused_and_nothing_changes(cast):
    client = cast.client(cast.approver)
    client.cookies["qp_language"] = "en"
    response = client.post("/ministry/campaigns/2028/",
                           campaign_form(cast.next_campaign, commission_deadline="2027-10-05"))
    assert response.status_code == 200
    assert "p.8" in response.content.decode()
    assert 'value="2027-10-05"' in response.content.decode()  # what the user typed is kept
    assert Campaign.objects.get(year=2028).commission_deadline == dt.date(2027, 10, 15)


def test_the_ministry_adds_and_removes_calendar_exceptions_with_history(cast):
    client = cast.client(cast.analyst)
    response = client.post("/ministry/calendar/", {"day": "2026-12-19", "is_working_day": "on",
                                                   "reason": "Постановление Правительства № 1"})
    assert response.status_code == 302
    exception = CalendarException.objects.get(day=dt.date(2026, 12, 19))
    assert exception.is_working_day
    duplicate = client.post("/ministry/calendar/", {"day": "2026-12-19", "reason": "again"})
    assert duplicate.status_code == 200 and CalendarException.objects.count() == 1
    assert client.post(f"/ministry/calendar/{exception.pk}/remove/").status_code == 302
    assert not CalendarException.objects.exists()
    client.cookies["qp_language"] = "en"
    page = client.get("/ministry/calendar/").content.decode()
    assert "Calendar exception added" in page and "Calendar exception removed" in page
    assert "calendar_exception_add" not in page


def test_a_calendar_exception_needs_the_decree(cast):
    response = cast.client(cast.analyst).post("/ministry/calendar/", {"day": "2026-12-19", "reason": " "})
    assert response.status_code == 200
    assert not CalendarException.objects.exists()


def test_the_ministry_flags_a_treaty_country_and_must_name_the_treaty(cast):
    client = cast.client(cast.analyst)
    response = client.post("/ministry/countries/UZ/", {"has_ratified_treaty": "on", "treaty_reference": ""})
    assert response.status_code == 200
    assert not Country.objects.get(alpha2="UZ").has_ratified_treaty
    response = client.post("/ministry/countries/UZ/", {"has_ratified_treaty": "on",
                                                       "treaty_reference": "Соглашение, ратифицировано Законом РК",
                                                       "treaty_ratified_on": "2020-05-01"})
    assert response.status_code == 302
    uz = Country.objects.get(alpha2="UZ")
    assert uz.has_ratified_treaty
    assert history_for(uz)[-1]["changes"]["has_ratified_treaty"] == {"before": False, "after": True}
    listing = client.get("/ministry/countries/?treaty=1").content.decode()
    assert "Узбекистан" in listing


def test_the_country_list_searches_in_every_language(cast):
    client = cast.client(cast.analyst)
    assert "Кыргызстан" in client.get("/ministry/countries/?q=Kyrgyz").content.decode()
    assert client.get("/ministry/countries/XX/").status_code == 404


def test_countries_are_loaded_from_iso_3166_with_russian_and_kazakh_names(db):
    uz = Country.objects.get(alpha2="UZ")
    assert (uz.name_ru, uz.name_kk, uz.name_en) == ("Узбекистан", "Өзбекстан", "Uzbekistan")
    assert not Country.objects.filter(alpha2="KZ").exists()
    # EAEU citizens work without permits: exempt from the quota, not treaty countries (p.4(2), p.17).
    assert set(Country.objects.filter(is_eaeu_member=True).values_list("alpha2", flat=True)) == {"AM", "BY", "KG", "RU"}
    assert not Country.objects.filter(has_ratified_treaty=True).exists()


