"""Issue 13, languages: every message in Kazakh, Russian and English.

- the compiled catalogues have no untranslated and no fuzzy entry (polib), and `tools/i18n.py check`
  finds no msgid without a translation;
- the main screens of each role, rendered in en, ru and kk: no Cyrillic in the English pages' visible
  text (nor in the titles, labels and placeholders a screen reader reads), no frequent Russian UI word
  on the Kazakh pages; data people typed (organization names, members, justifications: the values
  stored in the database, except the *_ru / *_kk columns of reference data) is not the interface and
  is left out;
- PDFs and XLSX exports follow the reader's language (a known heading in the right language);
- numbers are grouped by three with a space in ru and kk ("1 234 567") and by commas in en; short
  dates are dd.mm.yyyy.
"""
from __future__ import annotations

import datetime as dt
import html
import io
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.template import Context, Template
from django.utils import formats, translation
from openpyxl import load_workbook

from applications import services as app_services
from applications.models import Line
from commissions import services as commission_services
from quota_portal.core.scoping import unscoped
from tests.commissions.conftest import all_approved, full_commission, generalize, make_application, votes_for
from tests.conftest import almaty

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("en", "ru", "kk")
CYRILLIC = re.compile(r"[\u0400-\u04FF]+[\u0400-\u04FF\w-]*")
# Frequent Russian interface words that Kazakh does not use (Kazakh: Өтінім, Сақтау, Жіберу, Өңір,
# Артқа, Кіру, Шығу, Іздеу, Күні, Мәртебесі...). Whole words only: letters such as ы or э are Kazakh too.
RUSSIAN_ONLY = ("Заявка", "Заявки", "Заявление", "Сохранить", "Отправить", "Регион", "Регионы", "Назад", "Войти",
                "Выйти", "Поиск", "Дата", "Статус", "Количество", "Специальность", "Решение", "Работодатель",
                "Главная", "Скачать", "Добавить", "Удалить", "Отмена", "Изменить", "Пароль", "Всего", "Итого",
                "Заседание", "Уведомление", "Год", "Категория", "Страна", "Например",
                "Черновик", "Подать", "Язык", "Распределение", "Пользователь", "Профиль")
# The language switcher names each language in itself.
SWITCHER = {"ҚАЗ", "РУС", "Русский", "Қазақша", "Казахский", "Русский язык", "Қазақ тілі"}
READ_ALOUD = re.compile(r'\s(?:title|aria-label|placeholder|alt|aria-description)="([^"]*)"')


# --- (1) the catalogues ---------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_catalogues_have_no_untranslated_and_no_fuzzy_entry(lang):
    files = sorted((ROOT / "quota_portal" / "locale" / lang / "LC_MESSAGES").glob("*.po"))
    assert files, lang
    checked = 0
    for path in files:
        po = polib.pofile(str(path))
        entries = [e for e in po if not e.obsolete]
        checked += len(entries)
        assert not po.untranslated_entries(), (path.name, [e.msgid for e in po.untranslated_entries()][:10])
        assert not po.fuzzy_entries(), (path.name, [e.msgid for e in po.fuzzy_entries()][:10])
        for entry in entries:
            if entry.msgid_plural:
                assert all(entry.msgstr_plural.values()), entry.msgid
        # The compiled catalogue is the one Django reads: it must be there and not older than the .po.
        mo = path.with_suffix(".mo")
        assert mo.exists() and len(polib.mofile(str(mo))) >= len(po.translated_entries()) - 1, mo
    assert checked > 1000, checked  # the whole interface, not an empty file


def test_no_msgid_in_the_code_lacks_a_translation():
    done = subprocess.run([sys.executable, "tools/i18n.py", "check"], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    missing = json.loads(done.stdout or "{}")
    assert not missing, list(missing)[:20]


# --- (2) the main screens -------------------------------------------------------------------------

def typed_data() -> set[str]:
    """Every text a person typed or a fixture stored: the values of the text columns of the project's
    models, except the per-language columns of reference data (name_ru, name_kk...), which the
    interface must choose by language."""
    found: set[str] = set()
    for model in apps.get_models():
        if model._meta.app_label in ("admin", "auth", "contenttypes", "sessions", "axes", "pghistory"):
            continue
        if model._meta.label.endswith("Event") or model._meta.db_table.endswith("event"):
            continue  # audit copies
        fields = [f.name for f in model._meta.concrete_fields
                  if isinstance(f, (models.CharField, models.TextField)) and not f.name.endswith(("_ru", "_kk"))]
        if not fields:
            continue
        with unscoped("the languages test leaves out every text the test data stored, whoever owns it"):
            for row in model._default_manager.values_list(*fields):
                found.update(v.strip() for v in row if isinstance(v, str) and CYRILLIC.search(v))
    return found


def visible_text(page: str, data: set[str]) -> str:
    """The text a reader sees or hears: no scripts, styles, hidden language names; typed data removed."""
    page = re.sub(r"(?is)<(script|style|template|svg)\b.*?</\1>", " ", page)
    page = re.sub(r"(?is)<!--.*?-->", " ", page)
    spoken = " ".join(html.unescape(v) for v in READ_ALOUD.findall(page))
    text = html.unescape(re.sub(r"(?s)<[^>]+>", " ", page)) + " " + spoken
    text = re.sub(r"\s+", " ", text)
    # Longest first, so that a name is removed before a shorter value inside it.
    for value in sorted(data | SWITCHER, key=len, reverse=True):
        text = text.replace(re.sub(r"\s+", " ", value), " ")
    return text


@dataclass
class Screen:
    name: str
    user: str | None  # a Cast attribute
    url: str


def region_screens(cast, occupations) -> list[Screen]:
    """Employer, akimat and Commission screens: a draft (the Annex 1 form), a submitted application
    (its receipt; in the akimat's inbox), an application at a Commission session with a decision page."""
    draft = app_services.application_start(actor=cast.employer, organization=cast.org, campaign=cast.next_campaign,
                                            region=cast.astana)
    Line.objects.create(application=draft, category="3", occupation=occupations.o2142, count=1234, position=0)
    from tests.applications.conftest import fill

    filed = app_services.application_start(actor=cast.employer, organization=cast.org, campaign=cast.next_campaign,
                                            region=cast.atyrau)
    filed = fill(filed, cast.employer, occupations)
    version = app_services.application_submit(actor=cast.employer, application=filed,
                                              expected_revision=filed.revision)
    at_commission = make_application(cast, lines=[("3", occupations.o2142, 5), ("4", occupations.o7212, 10)],
                                     current_year_count=8)
    generalize(at_commission, cast.akimat_officer)
    commission, members = full_commission(cast.astana, users={0: cast.member, 1: cast.secretary})
    session = commission_services.session_create(actor=cast.secretary, commission=commission,
                                                 campaign=cast.campaign, date=dt.date(2026, 10, 20), place="Астана")
    commission_services.attendance_set(actor=cast.secretary, session=session, present_ids={m.pk for m in members})
    item = session.items.get()
    return [
        Screen("home", None, "/"),
        Screen("login", None, "/accounts/login/"),
        Screen("employer dashboard", "employer", "/dashboard/"),
        Screen("applications", "employer", "/applications/"),
        Screen("Annex 1 form", "employer", f"/applications/{draft.pk}/edit/"),
        Screen("application", "employer", f"/applications/{filed.pk}/"),
        Screen("receipt", "employer", f"/applications/{filed.pk}/receipt/{version.number}/"),
        Screen("akimat dashboard", "akimat_officer", "/dashboard/"),
        Screen("akimat inbox", "akimat_officer", "/commissions/"),
        Screen("akimat review", "akimat_officer", f"/commissions/applications/{at_commission.pk}/"),
        Screen("sessions", "secretary", "/commissions/sessions/"),
        Screen("Commission session", "secretary", f"/commissions/sessions/{session.pk}/"),
        Screen("decision", "secretary", f"/commissions/items/{item.pk}/decision/"),
        Screen("Commission", "secretary", "/commissions/commission/"),
    ]


def ministry_screens(cast, occupations) -> list[Screen]:
    """The Ministry's national view, scenarios and distribution, the public quota page: four regions'
    annexes sent, a scenario, a published distribution."""
    from tests.allocation.scenario_data import build, scenario
    from tests.allocation.test_publication import publish

    national = build(cast, occupations)
    scenario(cast)
    publish(cast, _uz())
    year = cast.campaign.year
    return [
        Screen("protocol (signed session)", "secretary", f"/commissions/sessions/{national.s_astana.pk}/"),
        Screen("national view", "analyst", f"/ministry/national/{year}/"),
        Screen("national region", "analyst", f"/ministry/national/{year}/regions/{cast.astana.code}/"),
        Screen("labour force", "analyst", f"/ministry/quota/{year}/labour-force/"),
        Screen("picture", "analyst", f"/ministry/quota/{year}/picture/"),
        Screen("scenarios", "analyst", f"/ministry/quota/{year}/scenarios/"),
        Screen("distribution", "approver", "/ministry/quota/distribution/"),
        Screen("public quota", None, "/public/quota/"),
        Screen("public quota year", None, f"/public/quota/{year}/"),
        Screen("approver dashboard", "approver", "/dashboard/"),
    ]


def _uz():
    from quota_portal.core.models import Country

    country, _ = Country.objects.update_or_create(alpha2="UZ", defaults={
        "name_ru": "Узбекистан", "name_kk": "Өзбекстан", "name_en": "Uzbekistan", "has_ratified_treaty": True})
    return country


def render_in(cast, screen: Screen, lang: str) -> str:
    client = cast.client(getattr(cast, screen.user) if screen.user else None)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    response = client.get(screen.url)
    assert response.status_code == 200, (screen.name, lang, response.status_code)
    page = response.content.decode()
    assert f'<html lang="{lang}"' in page, (screen.name, lang)
    return page


def check_screens(cast, screens: list[Screen], lang: str) -> None:
    data = typed_data()
    problems = []
    for screen in screens:
        text = visible_text(render_in(cast, screen, lang), data)
        if lang == "en":
            found = sorted(set(CYRILLIC.findall(text)))
            if found:
                problems.append((screen.name, found[:15]))
        elif lang == "kk":
            found = sorted({w for w in RUSSIAN_ONLY if re.search(rf"(?<![\w-]){w}(?![\w-])", text)})
            if found:
                problems.append((screen.name, found))
    assert not problems, problems


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGS)
def test_the_employer_akimat_and_commission_screens_speak_the_readers_language(cast, occupations, lang):
    screens = region_screens(cast, occupations)
    check_screens(cast, screens, lang)
    # The draft asks for 1234 workers: its count is grouped in the reader's format where it is shown.
    grouped = {"ru": "1\xa0234", "kk": "1\xa0234", "en": "1,234"}[lang]
    for name in ("employer dashboard", "Annex 1 form"):
        screen = next(s for s in screens if s.name == name)
        page = render_in(cast, screen, lang).replace("&nbsp;", "\xa0")
        assert re.search(rf">\s*{grouped}\s*<", page), (name, lang)


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGS)
def test_the_ministry_and_public_screens_speak_the_readers_language(cast, occupations, lang):
    check_screens(cast, ministry_screens(cast, occupations), lang)


# --- (3) PDFs and exports -------------------------------------------------------------------------

def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    assert data.startswith(b"%PDF")
    return " ".join(" ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages).split())


def xlsx_text(data: bytes) -> str:
    wb = load_workbook(io.BytesIO(data), read_only=True)
    return " ".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row
                    if v is not None)


def body(response) -> bytes:
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content) if response.streaming else response.content


def client_in(cast, user, lang):
    client = cast.client(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    return client


# A heading each document carries, per language: the reader's language, never another one.
ANNEX1 = {"ru": "Приложение 1 к Правилам", "kk": "1-қосымша", "en": "Annex 1 to the Rules"}
RECEIPT = {"ru": "Расписка о приёме заявки", "kk": "қабылдау туралы қолхат", "en": "Receipt of an employer's"}
INBOX = {"ru": "Рег. номер", "kk": "Тіркеу нөмірі", "en": "Registration No."}
PROTOCOL = {"ru": "ПРОТОКОЛ", "kk": "ХАТТАМА", "en": "PROTOCOL"}
PUBLIC_XLSX = {"ru": "Регион", "kk": "Өңір", "en": "Region"}
# The signed decision exists in Russian and Kazakh only: an English reader gets the Russian original.
PUBLIC_PDF = {"ru": "Решение о квоте", "kk": "бөлу туралы шешім", "en": "Решение о квоте"}


def in_language(text: str, table: dict, lang: str, where: str) -> None:
    assert table[lang] in text, (where, lang, table[lang], text[:300])
    for other, word in table.items():
        if other != lang:
            assert word not in text, (where, lang, "has", other, word)


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGS)
def test_the_employers_pdfs_and_workbook_follow_the_readers_language(cast, occupations, lang):
    from tests.applications.conftest import fill

    app = app_services.application_start(actor=cast.employer, organization=cast.org, campaign=cast.next_campaign,
                                          region=cast.astana)
    app = fill(app, cast.employer, occupations)
    version = app_services.application_submit(actor=cast.employer, application=app, expected_revision=app.revision)
    client = client_in(cast, cast.employer, lang)
    in_language(pdf_text(body(client.get(f"/applications/{app.pk}/annex1.pdf"))), ANNEX1, lang, "annex1.pdf")
    in_language(pdf_text(body(client.get(f"/applications/{app.pk}/receipt/{version.number}/pdf/"))), RECEIPT, lang,
                "receipt.pdf")
    in_language(xlsx_text(body(client.get(f"/applications/{app.pk}/annex1.xlsx"))), ANNEX1, lang, "annex1.xlsx")
    akimat = client_in(cast, cast.akimat_officer, lang)
    in_language(xlsx_text(body(akimat.get("/commissions/inbox.xlsx"))), INBOX, lang, "inbox.xlsx")


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGS)
def test_the_protocol_and_the_public_files_follow_the_readers_language(cast, occupations, lang):
    from tests.allocation.test_publication import publish

    app = make_application(cast, lines=[("3", occupations.o2142, 5), ("4", occupations.o7212, 10)])
    generalize(app, cast.akimat_officer)
    commission, members = full_commission(cast.astana, users={0: cast.member, 1: cast.secretary})
    session = commission_services.session_create(actor=cast.secretary, commission=commission,
                                                 campaign=cast.campaign, date=dt.date(2026, 10, 20), place="Астана")
    commission_services.attendance_set(actor=cast.secretary, session=session, present_ids={m.pk for m in members})
    commission_services.decision_record(actor=cast.secretary, item=session.items.get(), lines=all_approved(app),
                                        votes=votes_for(members))
    secretary = client_in(cast, cast.secretary, lang)
    in_language(pdf_text(body(secretary.get(f"/commissions/sessions/{session.pk}/protocol.pdf"))), PROTOCOL, lang,
                "protocol.pdf")
    publish(cast, _uz())
    public = client_in(cast, None, lang)
    in_language(xlsx_text(body(public.get(f"/public/quota/{cast.campaign.year}.xlsx"))), PUBLIC_XLSX, lang,
                "public xlsx")
    text = pdf_text(body(public.get(f"/public/quota/{cast.campaign.year}.pdf")))
    assert PUBLIC_PDF[lang] in text, (lang, text[:300])
    if lang == "kk":
        assert "Решение о квоте" not in text


# --- (4) numbers and dates ------------------------------------------------------------------------

NUMBERS = {"ru": "1\xa0234\xa0567", "kk": "1\xa0234\xa0567", "en": "1,234,567"}
DECIMALS = {"ru": "1\xa0234,5", "kk": "1\xa0234,5", "en": "1,234.5"}


@pytest.mark.parametrize("lang", LANGS)
def test_numbers_and_dates_are_written_in_the_local_format(lang):
    with translation.override(lang):
        rendered = Template('{% load humanize %}{{ n|intcomma }}|{{ d|date:"SHORT_DATE_FORMAT" }}|'
                            '{{ t|date:"SHORT_DATETIME_FORMAT" }}').render(Context({
                                "n": 1234567, "d": dt.date(2026, 3, 5),
                                "t": almaty(2026, 3, 5, 14, 7)}))
        assert rendered == f"{NUMBERS[lang]}|05.03.2026|05.03.2026 14:07"
        assert formats.number_format(1234.5, force_grouping=True) == DECIMALS[lang]
        assert formats.number_format(1234567, use_l10n=True, force_grouping=True) == NUMBERS[lang]


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGS)
def test_the_labour_force_page_groups_its_figure_in_the_readers_format(cast, occupations, lang):
    from tests.allocation.scenario_data import with_labour_force

    with_labour_force(cast, persons=9_720_000)
    client = client_in(cast, cast.analyst, lang)
    page = client.get(f"/ministry/quota/{cast.campaign.year}/labour-force/").content.decode()
    expected = {"ru": "9\xa0720\xa0000", "kk": "9\xa0720\xa0000", "en": "9,720,000"}[lang]
    assert expected in page.replace("&nbsp;", "\xa0"), lang
    assert "31.12.2025" in page or {"ru": "31 декабря 2025", "kk": "31 желтоқсан 2025",
                                    "en": "31 December 2025"}[lang] in page, lang
