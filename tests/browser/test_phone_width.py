"""Issue 8, phone (390 px): no main page of any role of the cast is wider than the screen
(document.documentElement.scrollWidth <= 390), in Russian and in Kazakh (the longer words)."""
from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from applications import services as app_services
from applications.models import Application, Line
from commissions import services
from commissions.models import Decision, Notice, Violation
from tests.browser.conftest import login
from tests.commissions.conftest import full_commission, generalize, make_application, votes_for
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 390


@pytest.fixture
def world(cast, occupations):
    """An employer's draft and submitted application, an akimat review, a signed session with its
    notice, a second open session with a decision form, a violation."""
    draft = app_services.application_start(actor=cast.employer, organization=cast.org, campaign=cast.next_campaign,
                                           region=cast.astana)
    for i, (cat, occ, n) in enumerate([("1", occupations.o1120, 1), ("3", occupations.o2142, 5),
                                       ("4", occupations.o7212, 12)]):
        Line.objects.create(application=draft, category=cat, occupation=occ, count=n, position=i,
                            specialty="Сварщик ручной дуговой сварки неплавящимся электродом" if i == 2 else "")
    decided = make_application(cast, status=Application.Status.AT_COMMISSION, number="AST-2027-0001",
                               lines=[("3", occupations.o2142, 5), ("4", occupations.o7212, 10)])
    generalize(decided, cast.akimat_officer)
    pending = make_application(cast, org=cast.org2, status=Application.Status.AT_COMMISSION, number="AST-2027-0002",
                               lines=[("3", occupations.o3112, 7), ("S", occupations.o9211, 30)])
    generalize(pending, cast.akimat_officer)
    commission, members = full_commission(cast.astana, users={0: cast.member, 1: cast.secretary})
    session = services.session_create(actor=cast.secretary, commission=commission, campaign=cast.campaign,
                                      date=dt.date(2026, 10, 20), place="Астана, пр. Бейбитшилик, 11")
    services.attendance_set(actor=cast.secretary, session=session, present_ids={m.pk for m in members})
    for item in session.items.all():
        lines = {ln.pk: {"approved": ln.count if ln.category != "4" else 4,
                         "grounds": [] if ln.category != "4" else ["1"],
                         "reason": "" if ln.category != "4" else "Есть безработные сварщики"}
                 for ln in item.application.lines.all()}
        services.decision_record(actor=cast.secretary, item=item, lines=lines, votes=votes_for(members))
    services.session_sign(actor=cast.secretary, session=session)
    services.session_sign(actor=cast.member, session=session, as_chair=True)
    open_session = services.session_create(actor=cast.secretary, commission=commission, campaign=cast.campaign,
                                           date=dt.date(2026, 11, 25), place="Астана")
    Violation.objects.create(region=cast.astana, organization=cast.org, ground="2", year=2026,
                             description="Нарушение порядка выдачи разрешений", recorded_by=cast.akimat_officer)
    decision = Decision.objects.filter(application=decided).get()
    return {"draft": draft, "decided": decided, "session": session, "open_session": open_session,
            "decision": decision, "item": decision.item, "notice": Notice.objects.first()}


# What sticks out: the outermost elements whose right edge passes the screen's, for the message.
WIDEST = """(() => {
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    const r = el.getBoundingClientRect();
    if (r.right > window.innerWidth + 1 && !(el.parentElement && el.parentElement.getBoundingClientRect().right
        > window.innerWidth + 1)) {
      out.push(el.tagName.toLowerCase() + "." + [...el.classList].join(".") + " " + Math.round(r.right));
    }
  }
  return out.slice(0, 5);
})()"""


def pages(role, w):
    r = reverse
    if role == "employer":
        return ["/dashboard/", r("applications:list"), r("applications:start"),
                r("applications:edit", args=[w["draft"].pk]), r("applications:review", args=[w["draft"].pk]),
                r("applications:detail", args=[w["draft"].pk]), r("applications:detail", args=[w["decided"].pk]),
                "/inbox/", r("accounts:members")]
    if role == "akimat":
        return ["/dashboard/", r("commissions:inbox"), r("commissions:review", args=[w["decided"].pk]),
                r("commissions:figures"), r("commissions:figure_new"), r("commissions:figures_import"),
                r("commissions:violations"), r("commissions:commission"), r("commissions:sessions"),
                r("commissions:notices"), "/inbox/"]
    if role == "secretary":
        return ["/dashboard/", r("commissions:sessions"), r("commissions:session", args=[w["session"].pk]),
                r("commissions:session", args=[w["open_session"].pk]), r("commissions:commission"),
                r("commissions:member_new"), r("commissions:decision_correct", args=[w["decision"].pk]),
                r("commissions:notices")]
    if role == "chair":
        return ["/dashboard/", r("commissions:sessions"), r("commissions:session", args=[w["session"].pk]),
                r("commissions:commission")]
    if role == "central":
        return ["/dashboard/", "/inbox/"]
    return ["/dashboard/", r("ministry_campaigns"), r("ministry_campaign_edit", args=[2028]), r("ministry_calendar"),
            r("ministry_countries"), "/inbox/"]


def user_of(cast, role):
    return {"employer": cast.employer, "akimat": cast.akimat_officer, "secretary": cast.secretary,
            "chair": cast.member, "central": cast.central_officer, "ministry": cast.analyst}[role]


@pytest.mark.parametrize("role", ["employer", "akimat", "secretary", "chair", "central", "ministry"])
def test_no_main_page_of_the_role_is_wider_than_a_390_px_phone(page, live_server, cast, world, role):
    login(page, user_of(cast, role).email, PASSWORD)
    page.set_viewport_size({"width": WIDTH, "height": 844})
    too_wide = {}
    for lang in ("ru", "kk"):
        page.context.add_cookies([{"name": "qp_language", "value": lang, "url": live_server.url}])
        for url in pages(role, world):
            response = page.goto(url)
            assert response.status == 200, (lang, url, response.status)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > WIDTH:
                too_wide[f"{lang} {url}"] = (width, page.evaluate(WIDEST))
    assert too_wide == {}
