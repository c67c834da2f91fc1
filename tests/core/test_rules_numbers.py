"""Issue 8, "The Rules' own words and numbers", the shared domain: p.19's distribution and
publication, the citations of the timeline, the deadline kinds and the days left, treaty countries,
and the Ministry opening a campaign."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import time_machine

from applications.forms import StartForm
from quota_portal.core import calendar, services
from quota_portal.core.audit import history_for
from quota_portal.core.errors import DomainError
from quota_portal.core.models import Campaign, Country
from quota_portal.core.selectors import treaty_countries
from tests.conftest import almaty

from .test_ministry_pages import campaign_form

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def flat(response) -> str:
    return " ".join(response.content.decode().split())


# --- p.19: distribution and publication -------------------------------------------------------------

def test_the_campaign_form_refuses_a_distribution_deadline_after_1_january_of_the_quota_year(cast):
    client = cast.client(cast.analyst)
    for day, kind in (("2028-06-30", "until"), ("2028-01-01", "no_later_than")):
        data = campaign_form(cast.next_campaign, distribution_deadline=day, distribution_deadline_kind=kind)
        page = flat(client.post("/ministry/campaigns/2028/", data))
        assert "распределяется до 1 января 2028 года (п.19 Правил)" in page, (day, kind)
    assert Campaign.objects.get(year=2028).distribution_deadline == dt.date(2028, 1, 1)
    response = client.post("/ministry/campaigns/2028/", campaign_form(cast.next_campaign,
                                                                      distribution_deadline="2027-12-25"))
    assert response.status_code == 302


def test_the_ministry_records_the_distribution_and_publication_counts_from_that_day(cast):
    campaign = cast.campaign  # quota 2027; "today" is 25 Nov 2026
    page = flat(cast.client(cast.analyst).get("/ministry/campaigns/"))
    assert "не позднее 3 рабочих дней со дня распределения (квота ещё не распределена)" in page
    with pytest.raises(DomainError) as refusal:
        services.campaign_record_distribution(actor=cast.akimat_officer, campaign=campaign, day=dt.date(2026, 11, 20))
    assert refusal.value.code == "forbidden"
    for day, field in ((dt.date(2026, 10, 31), "day"), (dt.date(2026, 11, 26), "day")):
        with pytest.raises(DomainError) as refusal:
            services.campaign_record_distribution(actor=cast.analyst, campaign=campaign, day=day)
        assert refusal.value.field == field
    assert Campaign.objects.get(pk=campaign.pk).distributed_on is None
    recorded = services.campaign_record_distribution(actor=cast.analyst, campaign=campaign, day=dt.date(2026, 11, 20))
    assert recorded.distributed_on == dt.date(2026, 11, 20)
    # Friday 20 Nov 2026 + 3 working days = Wednesday 25 Nov 2026.
    assert recorded.publication_deadline == calendar.add_working_days(dt.date(2026, 11, 20), 3) == dt.date(2026, 11, 25)
    assert history_for(recorded)[-1]["action"] == "campaign_record_distribution"
    page = flat(cast.client(cast.analyst).get("/ministry/campaigns/"))
    assert "3 рабочих дня со дня распределения 20 ноября 2026" in page
    with pytest.raises(DomainError) as refusal:
        services.campaign_record_distribution(actor=cast.analyst, campaign=recorded, day=dt.date(2026, 11, 23))
    assert refusal.value.code == "already"


def test_a_late_distribution_needs_a_reason_and_none_is_recorded_after_the_quota_year(cast):
    with time_machine.travel(almaty(2027, 1, 10, 12), tick=False):
        with pytest.raises(DomainError) as refusal:
            services.campaign_record_distribution(actor=cast.analyst, campaign=cast.campaign, day=dt.date(2027, 1, 5))
        assert refusal.value.field == "reason"
        done = services.campaign_record_distribution(actor=cast.analyst, campaign=cast.campaign,
                                                     day=dt.date(2027, 1, 5), reason="Ждали предложения МИД")
        assert done.distributed_on == dt.date(2027, 1, 5)
    with time_machine.travel(almaty(2029, 1, 10, 12), tick=False):
        with pytest.raises(DomainError) as refusal:
            services.campaign_record_distribution(actor=cast.analyst, campaign=cast.next_campaign,
                                                  day=dt.date(2029, 1, 2), reason="late")
        assert refusal.value.field == "day"
    assert Campaign.objects.get(pk=cast.next_campaign.pk).distributed_on is None


# --- citations ----------------------------------------------------------------------------------------

def test_the_timeline_cites_annex_2_p12_annex_3_p16_and_says_annex_4_has_no_deadline(cast):
    page = flat(cast.client(cast.analyst).get("/ministry/campaigns/"))
    assert "приложение 2 (п.12) и приложение 3 (п.16)" in page
    assert "у приложения 4 (п.17) собственного срока нет" in page
    assert "приложения 2-4" not in page


def test_the_filing_opening_date_is_the_ministrys_choice_and_cites_no_point(cast):
    page = flat(cast.client(cast.analyst).get("/ministry/campaigns/2028/"))
    assert "Правила не устанавливают дату начала приёма" in page
    cast.next_campaign.filing_opens = dt.date(2027, 1, 15)
    cast.next_campaign.save()
    form = StartForm({"campaign": cast.next_campaign.pk, "region": cast.astana.pk}, campaigns=[])
    assert not form.is_valid()
    message = form.errors["campaign"][0]
    assert "15" in message and "p.6" not in message and "п. 6" not in message


def test_corrections_cite_no_point_of_the_rules():
    sources = [*ROOT.glob("commissions/*.py"), *ROOT.glob("templates/commissions/**/*.html")]
    offenders = [str(p) for p in sources if re.search(r"p\.\s?10\s?[-–]\s?11", p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_the_p15_deadline_is_in_the_campaign_form_the_timeline_and_the_akimats_countdown(cast):
    form = flat(cast.client(cast.analyst).get("/ministry/campaigns/2028/"))
    assert "Акимат определяет потребность в трудовых иммигрантах, п. 15 Правил" in form
    campaign = Campaign.objects.get(year=2028)
    campaign.labour_immigrants_deadline = dt.date(2027, 10, 5)
    campaign.save()
    # The akimat's countdown follows its chosen quota year (the year switch).
    dashboard = flat(cast.client(cast.akimat_officer).get("/dashboard/?campaign=2028"))
    countdown = dashboard[dashboard.index('data-testid="next-deadline"'):][:1500]
    assert "Акимат определяет потребность в трудовых иммигрантах" in countdown and "п. 15 Правил" in countdown


# --- deadline kinds and days left ----------------------------------------------------------------------

def test_the_countdown_and_the_timeline_count_the_same_days_to_the_last_day(cast):
    page = flat(cast.client(cast.employer).get("/dashboard/"))
    # Today 25 Nov 2026, 10:00; filing for 2028 is "until 1 Oct 2027": the last day is 30 Sep 2027.
    expected = (dt.date(2027, 9, 30) - dt.date(2026, 11, 25)).days
    assert expected == 309
    countdown = page[page.index('data-testid="next-deadline"'):]
    countdown = countdown[:countdown.index("</div> </div> </div>")]
    assert f"осталось {expected} дней" in countdown and "осталось 310" not in page
    assert page.count(f"осталось {expected} дней") >= 2  # the countdown and the 2028 timeline
    assert "приём закрывается в 00:00 1 октября; последний день — 30 сентября" in countdown


def test_the_countdown_says_when_once_and_left_once(cast):
    # It read "... (closes at 00:00 on 1 October; ...) — closes 1 October 2027, 00:00 (Asia/Almaty time)"
    # and, without the script, "309 days left / left".
    page = flat(cast.client(cast.employer).get("/dashboard/"))
    countdown = page[page.index('data-testid="next-deadline"'):]
    countdown = countdown[:countdown.index("</div> </div> </div>")]
    assert "Asia/Almaty" not in countdown and "время Астаны" in countdown
    assert countdown.count("закрывается") == 1
    assert "data-countdown-left hidden" in countdown  # shown by the script beside its "309 д 13 ч ..."


def test_the_application_header_and_the_inbox_print_the_kind_from_the_campaign(cast):
    from applications.models import Application

    campaign = cast.campaign
    campaign.generalization_deadline_kind = "no_later_than"
    campaign.filing_deadline_kind = "no_later_than"
    campaign.filing_deadline = dt.date(2026, 9, 30)
    campaign.save()
    inbox = flat(cast.client(cast.akimat_officer).get(f"/commissions/?campaign={campaign.year}"))
    assert "Обобщить не позднее 10 октября 2026" in inbox
    app = Application.objects.create(organization=cast.org, campaign=campaign, region=cast.astana,
                                     created_by=cast.employer)
    detail = flat(cast.client(cast.employer).get(f"/applications/{app.pk}/"))
    assert "не позднее 30 сентября 2026" in detail
    assert "последний день — 30 сентября; закрывается в 24:00" in detail
    assert "до 30 сентября" not in detail


# --- treaty countries (p.4(2), p.17) ---------------------------------------------------------------------

def test_the_ministry_records_a_treaty_with_its_reference_and_ratification_date(cast):
    client = cast.client(cast.analyst)
    url = "/ministry/countries/UZ/"
    page = flat(client.post(url, {"has_ratified_treaty": "on", "treaty_reference": "Соглашение о трудовой миграции"}))
    assert "Укажите дату ратификации договора (п.17 Правил)" in page
    page = flat(client.post(url, {"has_ratified_treaty": "on", "treaty_ratified_on": "2020-05-01"}))
    assert re.search(r"п\.\s?17", page)
    assert not Country.objects.get(alpha2="UZ").has_ratified_treaty
    assert list(treaty_countries()) == []
    response = client.post(url, {"has_ratified_treaty": "on", "treaty_reference": "Соглашение о трудовой миграции",
                                 "treaty_ratified_on": "2020-05-01"})
    assert response.status_code == 302
    uz = Country.objects.get(alpha2="UZ")
    assert uz.treaty_ratified_on == dt.date(2020, 5, 1)
    assert [c.alpha2 for c in treaty_countries()] == ["UZ"]
    assert history_for(uz)[-1]["action"] == "country_set_treaty"


def test_an_eaeu_member_is_refused_as_exempt_and_shown_exempt(cast):
    client = cast.client(cast.analyst)
    page = flat(client.post("/ministry/countries/KG/", {"has_ratified_treaty": "on", "treaty_reference": "x",
                                                         "treaty_ratified_on": "2020-05-01"}))
    assert "член ЕАЭС" in page and "не входят в квоту" in page
    assert not Country.objects.get(alpha2="KG").has_ratified_treaty
    listing = flat(client.get("/ministry/countries/?q=KG"))
    assert 'data-testid="eaeu-exempt"' in listing and "член ЕАЭС: вне квоты" in listing
    assert list(treaty_countries()) == []


# --- the Ministry opens a campaign -------------------------------------------------------------------------

def test_an_analyst_opens_the_campaign_for_a_year_with_the_rules_dates_and_edits_them(cast):
    client = cast.client(cast.analyst)
    page = flat(client.get("/ministry/campaigns/"))
    assert 'data-testid="open-campaign"' in page and 'value="2029"' in page
    response = client.post("/ministry/campaigns/open/", {"year": 2029})
    assert response.status_code == 302 and response["Location"] == "/ministry/campaigns/2029/"
    opened = Campaign.objects.get(year=2029)
    defaults = Campaign.for_year(2029)
    for field in ("filing_opens", "filing_deadline", "generalization_deadline", "labour_immigrants_deadline",
                  "commission_deadline", "submission_deadline", "proposals_deadline", "distribution_deadline"):
        assert getattr(opened, field) == getattr(defaults, field), field
    assert history_for(opened)[0]["action"] == "campaign_open"
    assert history_for(opened)[0]["user"] == cast.analyst
    response = client.post("/ministry/campaigns/2029/", campaign_form(opened, filing_opens="2028-01-10"))
    assert response.status_code == 302
    assert Campaign.objects.get(year=2029).filing_opens == dt.date(2028, 1, 10)


def test_a_duplicate_year_is_refused_and_nothing_changes(cast):
    response = cast.client(cast.analyst).post("/ministry/campaigns/open/", {"year": 2028})
    assert response.status_code == 400
    assert "Кампания на 2028 год уже открыта" in flat(response)
    assert Campaign.objects.filter(year=2028).count() == 1


def test_only_a_ministry_analyst_opens_a_campaign(cast):
    for who in ("employer", "akimat_officer", "secretary", "member", "central_officer", "outsider"):
        client = cast.client(getattr(cast, who))
        assert client.post("/ministry/campaigns/open/", {"year": 2030}).status_code == 404, who
    response = cast.client(cast.approver).post("/ministry/campaigns/open/", {"year": 2030})
    assert response.status_code == 400 and "только аналитик министерства" in flat(response)
    assert 'data-testid="open-campaign"' not in flat(cast.client(cast.approver).get("/ministry/campaigns/"))
    assert not Campaign.objects.filter(year=2030).exists()
