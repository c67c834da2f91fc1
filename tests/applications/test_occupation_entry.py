"""The occupation field takes what its placeholder says (a code or a title), and offers employers only the
occupations flagged for them; lines already filed keep theirs."""
from __future__ import annotations

import pytest

from applications.models import Line
from quota_portal.core.models import Occupation

from .conftest import form_data

pytestmark = pytest.mark.django_db


def lines_of(app) -> list[str]:
    return [ln.occupation.code for ln in Line.objects.filter(application=app).select_related("occupation")]


def test_a_typed_exact_title_in_the_users_language_resolves(cast, occupations, draft, settings):
    c = cast.client(cast.employer)
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    response = c.post(f"/applications/{draft.pk}/edit/", form_data(
        draft, [("3", "  инженеры по гражданскому   строительству ", "", "2"),
                ("4", "7212 Сварщики и газорезчики", "", "3")]))
    assert response.status_code == 302
    assert lines_of(draft) == ["2142", "7212"]


def test_a_title_in_english_resolves_for_an_english_reader_and_the_code_still_does(cast, occupations, draft):
    response = cast.client(cast.employer).post(f"/applications/{draft.pk}/edit/", form_data(
        draft, [("3", "Civil engineers", "", "2"), ("4", "7212", "", "3")]))
    assert response.status_code == 302
    assert lines_of(draft) == ["2142", "7212"]


def test_a_title_that_names_no_occupation_is_a_clear_field_error_and_nothing_changes(cast, occupations, draft):
    before = lines_of(draft)
    response = cast.client(cast.employer).post(f"/applications/{draft.pk}/edit/", form_data(
        draft, [("3", "Civil engineer of dreams", "", "2")]))
    assert response.status_code == 200
    assert "No occupation has the code or title “Civil engineer of dreams”" in response.content.decode()
    assert lines_of(draft) == before


def test_occupations_not_offered_to_employers_are_neither_suggested_nor_accepted(cast, occupations, draft):
    soldier = Occupation.objects.get(code="0110")  # seeded, unflagged by migration 0011
    assert not soldier.offered_to_employers
    c = cast.client(cast.employer)
    assert c.get("/applications/occupations/?q=0110").json()["results"] == []
    assert "0110" not in [r["code"] for r in c.get("/applications/occupations/?q=officers").json()["results"]]
    assert c.get("/applications/occupations/?q=2142").json()["results"][0]["code"] == "2142"
    response = c.post(f"/applications/{draft.pk}/edit/", form_data(draft, [("3", soldier.code, "", "2")]))
    assert response.status_code == 200 and "“0110”" in response.content.decode()
    assert "0110" not in lines_of(draft)


def test_an_application_keeps_an_occupation_withdrawn_after_it_was_filed(cast, occupations, draft):
    Occupation.objects.filter(code="7212").update(offered_to_employers=False)
    response = cast.client(cast.employer).post(f"/applications/{draft.pk}/edit/", form_data(
        draft, [("3", "2142", "", "2"), ("4", "7212", "", "9")]))
    assert response.status_code == 302
    assert lines_of(draft) == ["2142", "7212"]


def test_the_data_migration_default_leaves_out_major_group_0_and_state_posts(db):
    from quota_portal.core.reference import offered_by_default

    assert not offered_by_default("0110") and not offered_by_default("0310")
    assert not offered_by_default("5412") and not offered_by_default("1111")
    assert offered_by_default("2142") and offered_by_default("7212")
    # The seeded classifier (migration 0005 then 0011) has major group 0 unflagged.
    assert Occupation.objects.filter(code__startswith="0").exists()
    assert not Occupation.objects.filter(code__startswith="0", offered_to_employers=True).exists()
    assert Occupation.objects.filter(code="2142", offered_to_employers=True).exists()


def test_the_ministry_edits_the_flag_in_the_django_admin(cast, occupations):
    from django.contrib import admin

    model_admin = admin.site._registry[Occupation]
    assert "offered_to_employers" in model_admin.list_editable
    assert "offered_to_employers" in model_admin.list_filter

