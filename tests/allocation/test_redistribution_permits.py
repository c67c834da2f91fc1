"""Permits used (Rules p.5): the akimat records its own region's permits by hand or by XLSX (all or
nothing), warned at 90 % of the ceiling, refused beyond it; race-safe; the utilisation view."""
from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import translation

from allocation.quota_models import PermitUse
from allocation.redistribution_use import column_label, permit_record
from quota_portal.core.calendar import ALMATY
from quota_portal.core.errors import DomainError
from quota_portal.core.scoping import system_scope

from .. import xlsx_files
from .redistribution_helpers import publish_version_1

PERMITS, IMPORT = reverse("allocation:permits"), reverse("allocation:permits_import")
MARCH = dt.datetime(2027, 3, 15, 11, tzinfo=ALMATY)
HEADER = ["Category", "Number of permits", "Issued on", "Reference"]


@pytest.fixture
def v1(cast):
    version = publish_version_1(cast)  # Astana: 100 of category 3, 5 seasonal
    with time_machine.travel(MARCH, tick=False):
        yield version


def post(cast, user=None, **data):
    base = {"campaign": cast.campaign.pk, "category": "3", "count": "10", "issued_on": "2027-03-01",
            "reference": "RV-1"}
    return cast.client(user or cast.akimat_officer).post(PERMITS, {**base, **data})


def upload(cast, content, name="permits.xlsx", user=None):
    return cast.client(user or cast.akimat_officer).post(IMPORT, {
        "campaign": cast.campaign.pk, "file": SimpleUploadedFile(name, content)})


@pytest.mark.parametrize("who,status", [("akimat_officer", 200), ("akimat_officer_atyrau", 200), ("secretary", 404),
                                        ("central_officer", 404), ("analyst", 404), ("employer", 404)])
def test_the_permits_page_is_the_akimat_officers(cast, v1, who, status):
    client = cast.client(getattr(cast, who))
    assert client.get(PERMITS).status_code == status
    assert client.get(reverse("allocation:use")).status_code == status
    assert client.get(reverse("allocation:permits_template")).status_code == status


def test_an_officer_records_and_the_region_sees_its_own_only(cast, v1):
    response = post(cast)
    assert response.status_code == 302
    row = PermitUse.objects.get()
    assert (row.region, row.count, row.category, row.recorded_by) == (cast.astana, 10, "3", cast.akimat_officer)
    page = cast.client(cast.akimat_officer_atyrau).get(PERMITS)
    assert page.context["permits"] == []
    assert "RV-1" not in page.content.decode()


def test_ninety_percent_warns_and_beyond_the_ceiling_is_refused(cast, v1):
    response = post(cast, count="89")
    assert response.status_code == 302
    response = cast.client(cast.akimat_officer).get(PERMITS)
    response = post(cast, count="1", reference="RV-2")
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("90 %" in m or "90 per cent" in m for m in messages)
    response = post(cast, count="11", reference="RV-3")
    assert response.status_code == 200 and "count" in response.context["form"].errors
    assert 'value="11"' in response.content.decode()
    assert PermitUse.objects.count() == 2
    assert post(cast, count="10", reference="RV-4").status_code == 302  # exactly the ceiling
    assert post(cast, category="1", count="1").status_code == 200  # no quota at all in category 1


@pytest.mark.parametrize("field,value", [("count", "٣"), ("count", "-1"), ("count", "0"), ("count", "9" * 300),
                                         ("reference", "a\x00b"), ("reference", "я" * 201), ("issued_on", "2026-12-31"),
                                         ("issued_on", "2027-04-01"), ("issued_on", "31.02.2027"),
                                         ("category", "X"), ("campaign", "١")])
def test_hostile_input_is_refused_on_its_field(cast, v1, field, value):
    response = post(cast, **{field: value})
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert field in response.context["form"].errors
    assert PermitUse.objects.count() == 0


def test_before_publication_nothing_is_recorded(cast):
    with time_machine.travel(MARCH, tick=False), pytest.raises(DomainError) as refused:
        permit_record(actor=cast.akimat_officer, campaign=cast.campaign, region=cast.astana, category="3",
                      count=1, issued_on=dt.date(2027, 3, 1))
    assert refused.value.code == "unpublished"


def test_only_the_regions_officer_records(cast, v1):
    for who in (cast.akimat_officer_atyrau, cast.secretary, cast.analyst, cast.central_officer):
        with pytest.raises(DomainError):
            permit_record(actor=who, campaign=cast.campaign, region=cast.astana, category="3", count=1,
                          issued_on=dt.date(2027, 3, 1))
    assert PermitUse.objects.count() == 0


def test_an_import_records_every_row(cast, v1):
    content = xlsx_files.workbook([HEADER, ["3", 40, dt.date(2027, 2, 1), "RV-10"], [3, 20, "01.03.2027", ""],
                                   ["s", 5, "2027-03-02", "Seasonal"]])
    response = upload(cast, content)
    assert response.status_code == 302
    assert sorted(PermitUse.objects.values_list("category", "count")) == [("3", 20), ("3", 40), ("S", 5)]


@pytest.mark.parametrize("row,column", [
    (["3", "٣", "01.03.2027", ""], "count"),
    (["3", -4, "01.03.2027", ""], "count"),
    (["3", 2.5, "01.03.2027", ""], "count"),
    (["3", 10**40, "01.03.2027", ""], "count"),
    (["9", 1, "01.03.2027", ""], "category"),
    (["3", 1, "someday", ""], "issued_on"),
    (["3", 1, "01.03.2031", ""], "issued_on"),
    (["3", 1, "01.03.2027", "x" * 240], "reference"),
])
def test_a_bad_row_names_its_row_and_column_and_nothing_is_recorded(cast, v1, row, column):
    content = xlsx_files.workbook([HEADER, ["3", 1, "01.03.2027", "good"], row])
    response = upload(cast, content)
    assert response.status_code == 200
    errors = " ".join(response.context["import_form"].errors["file"])
    with translation.override("ru"):
        assert "3" in errors and str(column_label(column)) in errors
    assert PermitUse.objects.count() == 0


def test_an_import_beyond_the_ceiling_records_nothing(cast, v1):
    content = xlsx_files.workbook([HEADER, ["3", 60, "01.03.2027", ""], ["3", 41, "02.03.2027", ""]])
    response = upload(cast, content)
    assert response.status_code == 200 and response.context["import_form"].errors
    assert PermitUse.objects.count() == 0


@pytest.mark.parametrize("craft", ["formula", "not_a_zip", "shared_string", "bomb", "exe_part", "infinity", "empty",
                                   "docx"])
def test_a_crafted_file_is_one_clean_error_and_nothing_is_recorded(cast, v1, craft):
    good = xlsx_files.workbook([HEADER, ["3", 1, "01.03.2027", "good"]])
    name = "permits.xlsx"
    content = {
        "formula": lambda: xlsx_files.edit_cell(good, "B2", '<c r="B2"><f>SUM(1,2)</f><v>3</v></c>'),
        "not_a_zip": xlsx_files.not_a_zip,
        "shared_string": lambda: xlsx_files.shared_string_out_of_range(good, "A2"),
        "bomb": lambda: xlsx_files.huge_text_bomb(good, "D2"),
        "exe_part": lambda: xlsx_files.with_part(good, "evil.exe"),
        "infinity": lambda: xlsx_files.number_cell(good, "B2", "1e999"),
        "empty": lambda: b"",
        "docx": lambda: xlsx_files.rezip(good, {"xl/workbook.xml": None, "word/document.xml": b"<w/>"}),
    }[craft]()
    response = upload(cast, content, name=name)
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert response.context["import_form"].errors
    assert PermitUse.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_records_at_once_never_pass_the_ceiling(cast):
    publish_version_1(cast)
    barrier, results = threading.Barrier(2), []

    def record(officer):
        try:
            barrier.wait(10)
            with system_scope(), time_machine.travel(MARCH, tick=False):
                permit_record(actor=officer, campaign=cast.campaign, region=cast.astana, category="3", count=60,
                              issued_on=dt.date(2027, 3, 1))
            results.append("ok")
        except DomainError as exc:
            results.append(exc.code)
        finally:
            connection.close()

    from quota_portal.core.models import Role

    from ..conftest import add_membership, make_user

    second = make_user("akimat2.astana@example.kz")
    add_membership(second, Role.AKIMAT_OFFICER, authority=cast.akimat_astana)
    threads = [threading.Thread(target=record, args=(u,)) for u in (cast.akimat_officer, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(results) == ["ceiling", "ok"]
    assert sum(PermitUse.objects.values_list("count", flat=True)) == 60


# --- the utilisation view ------------------------------------------------------------------------

def test_the_ministry_sees_every_region_and_the_akimat_its_own(cast, v1):
    post(cast, count="30")
    post(cast, user=cast.akimat_officer_atyrau, count="20")
    page = cast.client(cast.analyst).get(reverse("redistribution:use", args=[2027]))
    assert page.status_code == 200
    rows = {row["region"].pk: row for row in page.context["rows"]}
    assert {cast.astana.pk, cast.atyrau.pk} <= set(rows)
    used = {m["measure"]: m for m in rows[cast.astana.pk]["measures"]}
    assert used["distributed"]["cells"][2] == 100 and used["used"]["cells"][2] == 30
    totals = {m["measure"]: m["total"] for m in page.context["totals"]}
    assert totals["used"] == 50 and totals["distributed"] == 310
    assert 'data-testid="open-next-campaign"' in page.content.decode()
    assert [y["campaign"].year for y in page.context["years"]] == [2027, 2028]
    mine = cast.client(cast.akimat_officer).get(reverse("allocation:use") + "?year=2027")
    assert [row["region"].pk for row in mine.context["rows"]] == [cast.astana.pk]
    assert mine.context["totals"][3]["total"] == 30
    for user in (cast.akimat_officer, cast.central_officer, cast.employer):
        assert cast.client(user).get(reverse("redistribution:use", args=[2027])).status_code == 404
    assert cast.client(cast.approver).get(reverse("redistribution:use", args=[2027])).status_code == 200
    assert 'data-testid="open-next-campaign"' not in cast.client(cast.approver).get(
        reverse("redistribution:use", args=[2027])).content.decode()
