"""Notes on an application's timeline are stored as msgids with parameters (core/texts.py) and
read in the reader's language, whatever language the person who acted was using."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
import time_machine
from django.utils import translation

from applications.models import Application, StatusChange
from commissions import services
from tests.conftest import almaty

from .conftest import all_approved, full_commission, generalize, make_application, votes_for

S = Application.Status
pytestmark = pytest.mark.django_db
NOTES_KK = [
    "Әкімдік қарауға қабылдады.",
    "Комиссияның қарауына енгізілді (Қағидалардың 8-т.).",
    "Комиссия шешімі, 20.10.2026 № 1 отырыс.",
    "Жазбаша хабарлама жіберілді (Қағидалардың 11-т.).",
]
NOTES_RU = [
    "Принята на рассмотрение акиматом.",
    "Внесено на рассмотрение Комиссии (п.8 Правил).",
    "Решение Комиссии, Заседание № 1 от 20.10.2026.",
    "Письменное уведомление направлено (п.11 Правил).",
]


def page_as(cast, user, language: str, app) -> str:
    client = cast.client(user)
    client.cookies["qp_language"] = language
    return " ".join(client.get(f"/applications/{app.pk}/").content.decode().split())


def test_notes_recorded_while_the_actors_read_russian_are_read_in_kazakh_by_a_kazakh_reader(
    cast, occupations
):
    app = make_application(cast, status=S.SUBMITTED, lines=[("3", occupations.o2142, 5)])
    generalize(app, cast.akimat_officer)
    officer = cast.client(cast.akimat_officer)
    officer.cookies["qp_language"] = "ru"
    with translation.override("ru"):
        with time_machine.travel(almaty(2026, 10, 5, 10, 0), tick=False):
            services.generalization_mark(actor=cast.akimat_officer, application=app)
        with time_machine.travel(almaty(2026, 10, 12, 10, 0), tick=False):
            assert officer.post("/commissions/to-commission/").status_code == 302
        commission, members = full_commission(
            cast.astana, users={0: cast.member, 1: cast.secretary}
        )
        session = services.session_create(
            actor=cast.secretary,
            commission=commission,
            campaign=cast.campaign,
            date=dt.date(2026, 10, 20),
            place="Астана",
        )
        services.attendance_set(
            actor=cast.secretary, session=session, present_ids={m.pk for m in members}
        )
        services.decision_record(
            actor=cast.secretary,
            item=session.items.get(),
            lines=all_approved(app),
            votes=votes_for(members),
        )
        services.session_sign(actor=cast.secretary, session=session)
        services.session_sign(actor=cast.member, session=session, as_chair=True)
    assert list(
        StatusChange.objects.filter(application=app)
        .exclude(note_key="")
        .values_list("note", flat=True)
    ) == ["", "", "", ""]  # nothing stored in the actors' language

    kazakh = page_as(cast, cast.secretary, "kk", app)
    for note in NOTES_KK:
        assert note in kazakh
    assert not [note for note in NOTES_RU if note in kazakh]
    russian = page_as(cast, cast.akimat_officer, "ru", app)
    for note in NOTES_RU:
        assert note in russian


def test_a_withdrawal_reason_is_shown_as_the_employer_typed_it_in_every_language(cast, occupations):
    from applications import services as app_services
    from tests.applications.conftest import fill

    app = fill(
        app_services.application_start(
            actor=cast.employer,
            organization=cast.org,
            campaign=cast.next_campaign,
            region=cast.astana,
        ),
        cast.employer,
        occupations,
    )
    app_services.application_submit(
        actor=cast.employer, application=app, expected_revision=app.revision
    )
    app.refresh_from_db()
    reason = "Draft started"  # a reason that happens to be a msgid is still the employer's own text
    app_services.application_withdraw(
        actor=cast.employer, application=app, expected_revision=app.revision, reason=reason
    )
    change = StatusChange.objects.get(application=app, from_status=S.SUBMITTED, to_status=S.DRAFT)
    assert (change.note, change.note_key) == (reason, "")
    for language in ("kk", "ru"):
        with translation.override(language):
            assert change.note_text() == reason
    with translation.override("kk"):
        started = StatusChange.objects.get(application=app, from_status="")
        assert (started.note, started.note_key, started.note_text()) == (
            "",
            "Draft started",
            "Жоба құрылды",
        )


MIGRATION = importlib.import_module("applications.migrations.0006_statuschange_note_key")


def session(number: int, day: str) -> dict:
    return {
        "session": {
            "msgid": "Session No. %(number)s of %(date)s",
            "params": {"number": number, "date": {"date": day}},
        }
    }


@pytest.mark.parametrize(
    "stored, key, params, kazakh",
    [
        ("Draft started", "Draft started", {}, "Жоба құрылды"),
        (
            "Внесено на рассмотрение Комиссии (п.8 Правил).",
            "Put before the Commission (Rules p.8).",
            {},
            "Комиссияның қарауына енгізілді (Қағидалардың 8-т.).",
        ),
        (
            "Жазбаша хабарлама жіберілді (Қағидалардың 11-т.).",
            "Written notice sent (Rules p.11).",
            {},
            "Жазбаша хабарлама жіберілді (Қағидалардың 11-т.).",
        ),
        (
            "Решение Комиссии, Заседание № 3 от 20.10.2026.",
            "Decision of the Commission, %(session)s.",
            session(3, "2026-10-20"),
            "Комиссия шешімі, 20.10.2026 № 3 отырыс.",
        ),
        (
            "Шешімді Комиссия түзетті, 02.11.2026 № 12 отырыс.",
            "Decision corrected by the Commission, %(session)s.",
            session(12, "2026-11-02"),
            "Шешімді Комиссия түзетті, 02.11.2026 № 12 отырыс.",
        ),
        (
            "Decision of the Commission, Session No. 1 of 14.10.2026.",
            "Decision of the Commission, %(session)s.",
            session(1, "2026-10-14"),
            "Комиссия шешімі, 14.10.2026 № 1 отырыс.",
        ),
    ],
)
def test_the_data_migration_maps_the_notes_the_portal_wrote_back_to_msgids(
    cast, occupations, stored, key, params, kazakh
):
    from django.apps import apps

    app = make_application(cast, status=S.DECIDED, lines=[("3", occupations.o2142, 5)])
    mapped = StatusChange.objects.create(
        application=app, from_status=S.AT_COMMISSION, to_status=S.DECIDED, note=stored
    )
    typed = StatusChange.objects.create(
        application=app,
        from_status=S.SUBMITTED,
        to_status=S.DRAFT,
        note="REG-1 · v1, отозвана: ошибка в счёте",
    )
    MIGRATION.forwards(apps, None)
    mapped.refresh_from_db()
    typed.refresh_from_db()
    assert (mapped.note, mapped.note_key, mapped.note_params) == ("", key, params)
    assert (typed.note, typed.note_key) == ("REG-1 · v1, отозвана: ошибка в счёте", "")
    with translation.override("kk"):
        assert mapped.note_text() == kazakh
    MIGRATION.backwards(apps, None)
    mapped.refresh_from_db()
    assert mapped.note_key == "" and MIGRATION.note_to_key(mapped.note) == (key, params)


@pytest.mark.parametrize(
    "language, count, message",
    [
        ("ru", 1, "1 заявка внесена на рассмотрение Комиссии."),
        ("ru", 3, "3 заявки внесены на рассмотрение Комиссии."),
        ("ru", 5, "5 заявок внесено на рассмотрение Комиссии."),
        ("kk", 3, "Комиссияның қарауына 3 өтінім енгізілді."),
        ("en", 1, "1 application put before the Commission."),
        ("en", 3, "3 applications put before the Commission."),
    ],
)
def test_the_count_put_before_the_commission_agrees_with_its_noun(
    cast, occupations, language, count, message
):
    from quota_portal.core.models import Organization
    from quota_portal.core.validators import make_bin_iin

    for i in range(count):
        org = Organization.objects.create(
            bin_iin=make_bin_iin(f"0901400{i:04d}"),
            name=f"ТОО «Фирма {i}»",
            legal_address="Астана",
            region=cast.astana,
        )
        app = make_application(
            cast, org=org, status=S.UNDER_REVIEW, lines=[("3", occupations.o2142, 5)]
        )
        generalize(app, cast.akimat_officer)
        with time_machine.travel(almaty(2026, 10, 5, 10, 0), tick=False):
            services.generalization_mark(actor=cast.akimat_officer, application=app)
    officer = cast.client(cast.akimat_officer)
    officer.cookies["qp_language"] = language
    with time_machine.travel(almaty(2026, 10, 12, 10, 0), tick=False):
        response = officer.post("/commissions/to-commission/", follow=True)
    assert message in " ".join(response.content.decode().split())
