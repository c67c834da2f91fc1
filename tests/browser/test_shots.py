"""Screenshots for the lead (issue 8): the decision form with errors, the Annex 1 edit page at
390 px, the 404 an employer gets on an authority page. Skipped unless QP_SHOTS names a folder:
    QP_SHOTS=/work/shots/after pytest tests/browser/test_shots.py
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.utils import timezone

from applications import services as app_services
from applications.models import Application, Line
from commissions import services
from tests.browser.conftest import login
from tests.commissions.conftest import full_commission, generalize, make_application
from tests.conftest import PASSWORD

SHOTS = os.environ.get("QP_SHOTS")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(not SHOTS, reason="QP_SHOTS not set")]


def shot(page, name):
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def set_language(page, lang):
    page.click(f"button[data-lang={lang}]")
    page.wait_for_load_state()


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_shot_the_decision_form_with_errors(page, cast, occupations, lang):
    app = make_application(cast, status=Application.Status.AT_COMMISSION,
                           lines=[("3", occupations.o2142, 5), ("4", occupations.o7212, 10)])
    generalize(app, cast.akimat_officer)
    commission, members = full_commission(cast.astana, users={0: cast.member, 1: cast.secretary})
    session = services.session_create(actor=cast.secretary, commission=commission, campaign=cast.campaign,
                                      date=timezone.localdate(), place="Астана")
    services.attendance_set(actor=cast.secretary, session=session, present_ids={m.pk for m in members})
    item = session.items.get()
    login(page, cast.secretary.email, PASSWORD)
    set_language(page, lang)
    page.goto(f"/commissions/items/{item.pk}/decision/")
    for line in app.lines.all():
        page.fill(f"input[name=approved_{line.pk}]", "1")
    page.get_by_test_id("save-decision").click()
    page.wait_for_load_state()
    shot(page, f"decision-errors-{lang}")


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_shot_the_edit_page_at_390(page, cast, occupations, lang):
    app = app_services.application_start(actor=cast.employer, organization=cast.org, campaign=cast.next_campaign,
                                         region=cast.astana)
    Line.objects.create(application=app, category="3", occupation=occupations.o2142, count=5, position=0)
    Line.objects.create(application=app, category="4", occupation=occupations.o7212, count=12, position=1,
                        specialty="Сварщик ручной дуговой сварки")
    login(page, cast.employer.email, PASSWORD)
    set_language(page, lang)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/applications/{app.pk}/edit/")
    shot(page, f"edit-390-{lang}")


def test_shot_the_404_an_employer_gets_on_an_authority_page(page, cast, settings):
    settings.DEBUG = False
    login(page, cast.employer.email, PASSWORD)
    page.goto("/commissions/")
    shot(page, "error-404-ru")


