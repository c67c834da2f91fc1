"""Issue 8, "The Rules' own words and numbers": what the Commission's pages and documents print is
the Rules' text (p.7(4), p.8, p.9, p.10, p.11), quoted from the seed, not a paraphrase."""
from __future__ import annotations

import re

import pytest

from commissions import pdf, services
from commissions.models import Body, Member, Notice
from commissions.names import default_commission_names

from .conftest import make_application, votes_for
from .test_views import pdf_text

pytestmark = pytest.mark.django_db

P8_NAME = "Комиссия по формированию квоты на привлечение иностранной рабочей силы"
# Rules p.10(2) and p.10(3), verbatim (shared/seed/000_70b4588eae2fbf83.txt).
P10_2 = ("наличие у работодателей, предусматривающих привлечение иностранных работников, неустраненных нарушений "
         "порядка выдачи и (или) продления привлечения иностранной рабочей силы в предыдущем и текущем годах")
P10_3 = ("наличие у работодателей, предусматривающих привлечение иностранных работников, неустраненных нарушений "
         "трудового законодательства Республики Казахстан, в том числе просроченной задолженности по заработной "
         "плате и другим выплатам работникам в предыдущем и текущем годах")


def flat(text: str) -> str:
    return " ".join(text.split())


def sign_with_grounds(cast, case, grounds=("1", "2", "3")):
    services.decision_record(actor=cast.secretary, item=case.item, lines={
        case.lines[0].pk: {"approved": 5, "grounds": [], "reason": ""},
        case.lines[1].pk: {"approved": 4, "grounds": list(grounds), "reason": "Есть безработные сварщики"}},
        votes=votes_for(case.members))
    services.session_sign(actor=cast.secretary, session=case.session)
    services.session_sign(actor=cast.member, session=case.session, as_chair=True)
    return Notice.objects.get()


# --- p.8: the Commission's name ------------------------------------------------------------------

def test_the_commission_is_named_as_rules_p8_names_it_in_every_language(cast):
    names = default_commission_names(cast.atyrau)
    assert names["name"] == P8_NAME + " Атырауской области"
    assert "квота қалыптастыру жөніндегі комиссия" in names["name_kk"]
    assert names["name_en"].startswith("Commission for forming the quota for attracting foreign labour")
    assert "по вопросам" not in names["name"]


def test_the_protocol_and_the_notice_print_the_name_of_p8_once(cast, astana_case):
    notice = sign_with_grounds(cast, astana_case)
    protocol = flat(pdf_text(pdf.protocol_pdf(astana_case.session)))
    assert "заседания Комиссии по формированию квоты на привлечение иностранной рабочей силы" in protocol
    assert "по вопросам привлечения" not in protocol
    text = flat(pdf_text(pdf.notice_pdf(notice)))
    assert P8_NAME + " города Астаны рассмотрела вашу заявку" in text, text
    assert "Комиссия (" not in text and "по вопросам привлечения" not in text
    # The notice follows its organization's language (issue 8, notice language).
    notice.organization.language = "kk"
    notice.organization.save(update_fields=["language"])
    text_kk = flat(pdf_text(pdf.notice_pdf(notice)))
    assert "шетелдік жұмыс күшін тартуға квота қалыптастыру жөніндегі комиссия" in text_kk
    assert "мәселелері" not in text_kk and "Комиссия (" not in text_kk


# --- p.9: the composition --------------------------------------------------------------------------

def test_the_p9_bodies_read_as_the_rules_and_by_agreement_ones_are_not_missing(cast):
    commission = services.commission_for(cast.astana)
    for body in (Body.INTERNAL_AFFAIRS, Body.EDUCATION, Body.ENTREPRENEURSHIP, Body.LABOUR):
        Member.objects.create(commission=commission, region=cast.astana, full_name=f"M {body}", position="p",
                              body=body, role="chair" if body == Body.LABOUR else "member")
    page = flat(cast.client(cast.secretary).get("/commissions/commission/").content.decode())
    assert 'data-testid="missing-bodies"' not in page
    assert 'data-testid="by-agreement-bodies"' in page
    assert "региональной палаты предпринимателей и ассоциации (по согласованию)" in page
    assert ("территориальных объединений профсоюзов на уровне области, города республиканского значения и "
            "столицы (по согласованию)") in page
    assert "объединения (по согласованию)" not in page
    Member.objects.filter(body=Body.EDUCATION).delete()
    page = flat(cast.client(cast.secretary).get("/commissions/commission/").content.decode())
    assert 'data-testid="missing-bodies"' in page
    assert "местных исполнительных органов в области образования" in page


def test_a_missing_chair_is_the_portals_check_and_does_not_cite_p9(cast):
    commission = services.commission_for(cast.astana)
    Member.objects.create(commission=commission, region=cast.astana, full_name="A", position="p", body="labour",
                          role="secretary")
    page = flat(cast.client(cast.secretary).get("/commissions/commission/").content.decode())
    warning = re.search(r'data-testid="no-chair">([^<]*)<', page).group(1)
    assert "председател" in warning and "Правила председателя не называют" in warning
    assert "п.9" not in warning


def test_signing_without_a_chair_is_refused_without_citing_p9(cast, astana_case):
    from quota_portal.core.errors import DomainError

    Member.objects.filter(role=Member.Role.CHAIR).update(is_active=False)
    with pytest.raises(DomainError) as refusal:
        services.session_sign(actor=cast.member, session=astana_case.session, as_chair=True)
    message = str(refusal.value.message)
    assert "п.9" not in message and "Правила председателя не называют" in message


# --- p.10: the grounds, verbatim, in the form, the protocol and the notice -------------------------

def test_the_grounds_of_p10_are_the_rules_words_in_the_form_the_protocol_and_the_notice(cast, astana_case):
    form = flat(cast.client(cast.secretary).get(f"/commissions/items/{astana_case.item.pk}/decision/")
                .content.decode())
    assert P10_2 in form and P10_3 in form
    notice = sign_with_grounds(cast, astana_case)
    protocol = flat(pdf_text(pdf.protocol_pdf(astana_case.session)))
    text = flat(pdf_text(pdf.notice_pdf(notice)))
    for document in (protocol, text):
        assert "выдачи и (или) продления" in document
        assert "по заработной плате и другим выплатам работникам" in document


# --- p.11: the campaign's number of working days -----------------------------------------------------

def test_the_notices_page_and_the_notice_print_the_campaigns_working_days(cast, astana_case):
    cast.campaign.notice_working_days = 7
    cast.campaign.save()
    notice = sign_with_grounds(cast, astana_case)
    page = flat(cast.client(cast.secretary).get("/commissions/notices/").content.decode())
    assert "в течение 7 рабочих дней со дня принятия решения" in page
    assert "5 рабочих" not in page
    text = flat(pdf_text(pdf.notice_pdf(notice)))
    assert "в течение 7 рабочих дней со дня принятия решения" in text and "5 рабочих" not in text


# --- p.7(4): effectiveness in the previous year, and the forecast need --------------------------------

def test_p7_4_names_the_years_and_keeps_the_forecast_need(cast, astana_case, occupations):
    from django.utils import timezone

    from commissions.models import Decision, LineDecision
    from quota_portal.core.models import Campaign

    # Quota 2026: 12 approved for this employer in Astana (a signed decision on its 2026 application;
    # only the approved count matters to p.7(4), so it is arranged directly).
    previous = Campaign.for_year(2026)
    previous.save()
    old = make_application(cast, campaign=previous, lines=[("3", occupations.o2142, 15)], number="REG-2026")
    decision = Decision.objects.create(item=astana_case.item, application=old, region=cast.astana,
                                       organization=cast.org, outcome="partial", decided_on=astana_case.session.date,
                                       recorded_by=cast.secretary, signed_at=timezone.now())
    LineDecision.objects.create(decision=decision, line=old.lines.get(), requested=15, approved=12)
    page = flat(cast.client(cast.akimat_officer).get(f"/commissions/applications/{astana_case.app.pk}/")
                .content.decode())
    assert "одобрено на 2026 год: 12; привлечено в 2026 году: 8" in page, page[:3000]
    assert "прогнозная потребность на 2027 год: 15" in page
    assert "в предыдущем году" in page and "attracted this year" not in page
