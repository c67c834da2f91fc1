"""The akimat's exports through the export layer: the inbox as XLSX and CSV, the figures template."""
from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.db.models import Sum
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook

from applications.models import Application, Line
from commissions.models import LabourMarketFigure
from quota_portal.core.models import Organization
from quota_portal.core.validators import make_bin_iin
from tests.conftest import almaty

from .conftest import generalize, make_application

S = Application.Status
pytestmark = pytest.mark.django_db
CATEGORIES = ("1", "2", "3", "4", "S")


@pytest.fixture(autouse=True)
def _review_time():
    """20 Oct 2026: filing for 2027 has closed, the akimats work on it (Rules p.7-8)."""
    with time_machine.travel(almaty(2026, 10, 20, 10, 0), tick=False):
        yield


@pytest.fixture(autouse=True)
def _language_restored():
    """The requests activate English in this thread (LocaleMiddleware); the next test gets its own."""
    with translation.override(translation.get_language()):
        yield


@pytest.fixture
def inbox(cast, occupations):
    first = make_application(cast, status=S.UNDER_REVIEW, number="REG-1",
                             lines=[("3", occupations.o2142, 5), ("4", occupations.o7212, 10)])
    generalization = generalize(first, cast.akimat_officer)
    generalization.generalized_at = almaty(2026, 10, 8, 12, 0)
    generalization.save()
    second = make_application(cast, org=cast.org2, status=S.SUBMITTED, number="REG-2",
                              lines=[("1", occupations.o1120, 1), ("4", occupations.o7212, 7),
                                     ("S", occupations.o9211, 30)])
    third = Organization.objects.create(bin_iin=make_bin_iin("20014000031"), name="ТОО «Черновик»",
                                        legal_address="г. Астана", region=cast.astana)
    make_application(cast, org=third, status=S.DRAFT, number="DRAFT-3", lines=[("3", occupations.o2142, 99)])
    make_application(cast, region=cast.atyrau, status=S.SUBMITTED, number="ATY-4",
                     lines=[("3", occupations.o2142, 50)])
    return first, second


def english(cast, user):
    """Assertions read the English msgids."""
    client = cast.client(user)
    client.cookies["qp_language"] = "en"
    return client


def sums_of(app) -> list[int]:
    sums = dict(Line.objects.filter(application=app).values_list("category").annotate(n=Sum("count")))
    return [sums.get(c, 0) for c in CATEGORIES]


def test_the_inbox_xlsx_lists_every_page_with_numbers_from_the_database(cast, inbox, monkeypatch):
    from commissions import views

    monkeypatch.setattr(views, "INBOX_PAGE_SIZE", 1)  # the page shows one; the file has them all
    response = english(cast, cast.akimat_officer).get("/commissions/inbox.xlsx?campaign=2027")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert 'filename="applications-' in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[0][:4] == ["Registration No.", "Employer", "BIN/IIN", "Requested"]
    assert rows[1][3:8] == ["Category 1: heads and their deputies", "Category 2: heads of structural divisions",
                            "Category 3: specialists", "Category 4: qualified workers", "Seasonal foreign workers"]
    data = {r[0]: r for r in rows[2:-1]}
    assert set(data) == {"REG-1", "REG-2"}  # not the draft, not Atyrau's
    for app in inbox:
        assert data[app.registration_number][3:9] == [*sums_of(app), sum(sums_of(app))]
        assert data[app.registration_number][2] == app.organization.bin_iin
    assert data["REG-1"][11].date() == dt.date(2026, 10, 8) and data["REG-2"][11] is None
    assert ws["L3"].number_format == "DD.MM.YYYY"
    totals = rows[-1]
    assert totals[0] == "Total" and totals[3:9] == [1, 0, 5, 17, 30, 53]
    for row in ws.iter_rows(min_row=3):
        for cell in row[3:9]:
            assert cell.data_type == "n" and isinstance(cell.value, int), cell.coordinate


def test_the_inbox_csv_round_trips_and_follows_the_filters(cast, inbox):
    response = english(cast, cast.akimat_officer).get("/commissions/inbox.csv", {"campaign": "2027",
                                                                                "employer": cast.org2.bin_iin})
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][3] == "Requested — Category 1: heads and their deputies"
    assert len(rows) == 2  # the header and REG-2; CSV has no totals row
    assert rows[1][:9] == ["REG-2", cast.org2.name, cast.org2.bin_iin, "1", "0", "0", "7", "30", "38"]


def test_a_formula_in_an_employers_name_is_inert_in_the_inbox_exports(cast, inbox):
    Organization.objects.filter(pk=cast.org2.pk).update(name='=HYPERLINK("http://evil","x")')
    client = english(cast, cast.akimat_officer)
    ws = load_workbook(io.BytesIO(client.get("/commissions/inbox.xlsx?campaign=2027").content)).active
    cells = [c for row in ws.iter_rows() for c in row if c.value == '=HYPERLINK("http://evil","x")']
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)
    text = client.get("/commissions/inbox.csv?campaign=2027").content.decode("utf-8-sig")
    assert ";\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\";" in text


@pytest.mark.parametrize("who", ["employer", "employer_viewer", "employer2", "central_officer", "analyst",
                                 "approver", "outsider"])
@pytest.mark.parametrize("url", ["/commissions/inbox.xlsx", "/commissions/inbox.csv"])
def test_every_other_role_is_refused_the_inbox_exports_and_nothing_changes(cast, inbox, who, url):
    before = list(Application.objects.order_by("pk").values_list("pk", "status", "revision"))
    response = english(cast, getattr(cast, who)).get(url, {"campaign": "2027"})
    assert response.status_code == 404
    assert b"REG-" not in response.content
    assert list(Application.objects.order_by("pk").values_list("pk", "status", "revision")) == before


@pytest.mark.parametrize("url", ["/commissions/inbox.xlsx", "/commissions/inbox.csv"])
def test_anonymous_is_sent_to_the_login_page(inbox, url):
    response = Client().get(url)
    assert response.status_code == 302 and "/login" in response["Location"]


def test_another_regions_akimat_exports_only_its_own_applications(cast, inbox):
    for who in (cast.akimat_officer_atyrau, cast.secretary_atyrau):
        text = english(cast, who).get("/commissions/inbox.csv?campaign=2027").content.decode("utf-8-sig")
        assert "ATY-4" in text and "REG-1" not in text and "REG-2" not in text and cast.org2.name not in text


def test_the_secretary_and_a_member_export_the_inbox_too(cast, inbox):
    for who in (cast.secretary, cast.member):
        assert english(cast, who).get("/commissions/inbox.xlsx?campaign=2027").status_code == 200


def test_the_inbox_page_links_its_exports_with_its_filters(cast, inbox):
    body = english(cast, cast.akimat_officer).get("/commissions/", {"campaign": "2027", "status": "submitted"}).content
    assert b'href="/commissions/inbox.xlsx?campaign=2027&amp;status=submitted"' in body
    assert b'href="/commissions/inbox.csv?campaign=2027&amp;status=submitted"' in body


def test_the_figures_template_has_numbers_as_numbers_under_the_row_of_keys(cast, occupations):
    LabourMarketFigure.objects.create(region=cast.astana, campaign=cast.campaign, occupation=occupations.o7212,
                                      labour_demand=300, jobseekers=45, note="Сварщики")
    response = english(cast, cast.akimat_officer).get("/commissions/labour-market/template.xlsx")
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert ws.title == "labour_market" and ws.freeze_panes == "B3"
    assert rows[1] == ["occupation", *LabourMarketFigure.NUMBER_FIELDS, "note"]
    assert rows[2][0] == "7212" and ws["A3"].data_type == "s"  # the code keeps its leading zeros as text
    assert rows[2][1] == 300 and rows[2][10] == 45 and rows[2][11] == "Сварщики"
    assert all(c.data_type == "n" for c in ws[3][1:11])
