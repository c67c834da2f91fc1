"""Demo employers and their filed 2027 applications in the regions other than Astana and Atyrau
(`seed_demo`, DEBUG only; called by applications.demo after its own employers).

Astana and Atyrau tell their story through the services (applications.demo, commissions.demo).
The other eighteen regions only need to look like a real year: about two hundred employers with
Kazakh and Russian names, valid BINs (IINs for peasant farms), addresses in their region, and
applications in categories 1-4 and seasonal, by occupations of the reference classifier, sized
so that the national need is of the order of the 2026 quota (18,146 permits). This is data, not
a rule to check, so it is written in bulk with its own dates: filed in September 2026 and moved
"under review" by the filing deadline of 1 October, as the sweep would have done. The Commission
decides them in commissions.demo_regions.

Idempotent: a region that already has applications in the campaign is left as it is.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import random

from django.contrib.auth.hashers import make_password
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext_noop

from quota_portal.core.calendar import ALMATY
from quota_portal.core.models import Campaign, Membership, Occupation, Organization, Region, Role, User
from quota_portal.core.validators import bin_iin_check_digit

from .models import Application, Line, Project, RegistrationCounter, StatusChange, Version
from .services import DECLARATION, canonical_json

S = Application.Status
FILING_CLOSED_NOTE = gettext_noop("Filing deadline passed (Rules p.6)")

# KATO code -> (towns with their streets, place words for names, {industry: number of employers}).
REGIONS = {
    "100000000": (["г. Семей", "г. Аягоз", "г. Курчатов"], ["Семей", "Ертіс", "Абай", "Шыңғыс"],
                  {"mining": 2, "construction": 4, "agro": 2, "energy": 1}),
    "110000000": (["г. Кокшетау", "г. Степногорск", "г. Щучинск", "г. Косшы"], ["Көкше", "Бурабай", "Есіл", "Ақмола"],
                  {"agro": 5, "construction": 4, "mining": 1}),
    "150000000": (["г. Актобе", "г. Хромтау", "г. Кандыагаш"], ["Ақтөбе", "Мұғалжар", "Елек", "Хромтау"],
                  {"oil": 4, "mining": 3, "construction": 3, "manufacturing": 2}),
    "190000000": (["г. Конаев", "г. Талгар", "г. Каскелен", "г. Есик"], ["Іле", "Алатау", "Қапшағай", "Талғар"],
                  {"agro": 8, "construction": 4, "manufacturing": 3}),
    "270000000": (["г. Уральск", "г. Аксай", "п. Бурлин"], ["Жайық", "Орал", "Ақсай", "Бөрлі"],
                  {"oil": 8, "construction": 3, "agro": 2}),
    "310000000": (["г. Тараз", "г. Шу", "г. Каратау"], ["Тараз", "Шу", "Қаратау", "Талас"],
                  {"agro": 5, "manufacturing": 3, "construction": 2}),
    "330000000": (["г. Талдыкорган", "г. Жаркент", "г. Текели"], ["Жетісу", "Қаратал", "Көксу", "Талдықорған"],
                  {"agro": 6, "construction": 2, "energy": 1}),
    "350000000": (["г. Караганда", "г. Темиртау", "г. Балхаш", "г. Шахтинск"], ["Сарыарқа", "Теміртау", "Балқаш",
                                                                           "Қарағанды"],
                  {"mining": 5, "manufacturing": 3, "construction": 4, "energy": 2}),
    "390000000": (["г. Костанай", "г. Рудный", "г. Лисаковск"], ["Тобыл", "Қостанай", "Торғай", "Рудный"],
                  {"agro": 5, "mining": 2, "manufacturing": 2}),
    "430000000": (["г. Кызылорда", "г. Аральск", "п. Шиели"], ["Сырдария", "Қызылорда", "Арал", "Шиелі"],
                  {"oil": 4, "agro": 4, "construction": 2}),
    "470000000": (["г. Актау", "г. Жанаозен", "с. Бейнеу"], ["Каспий", "Маңғыстау", "Жаңаөзен", "Бейнеу", "Ақтау"],
                  {"oil": 14, "construction": 5, "energy": 1}),
    "550000000": (["г. Павлодар", "г. Экибастуз", "г. Аксу"], ["Павлодар", "Екібастұз", "Ертіс", "Баянауыл"],
                  {"manufacturing": 3, "energy": 3, "mining": 2, "construction": 3}),
    "590000000": (["г. Петропавловск", "г. Булаево"], ["Есіл", "Қызылжар", "Петропавл"],
                  {"agro": 5, "manufacturing": 1}),
    "610000000": (["г. Туркестан", "г. Кентау", "г. Сарыагаш", "г. Жетысай"], ["Түркістан", "Қаратау", "Мақтаарал",
                                                                          "Сарыағаш"],
                  {"agro": 8, "construction": 5}),
    "620000000": (["г. Жезказган", "г. Сатпаев", "г. Каражал"], ["Ұлытау", "Жезқазған", "Кеңгір"],
                  {"mining": 4, "construction": 2}),
    "630000000": (["г. Усть-Каменогорск", "г. Риддер", "г. Алтай"], ["Алтай", "Ертіс", "Өскемен", "Риддер"],
                  {"mining": 4, "manufacturing": 3, "construction": 3, "energy": 1}),
    "750000000": (["г. Алматы, Алмалинский р-н", "г. Алматы, Бостандыкский р-н", "г. Алматы, Медеуский р-н",
                   "г. Алматы, Ауэзовский р-н", "г. Алматы, Наурызбайский р-н"],
                  ["Алатау", "Медеу", "Көктөбе", "Алматы"],
                  {"it": 10, "construction": 10, "services": 5, "manufacturing": 3}),
    "790000000": (["г. Шымкент, Абайский р-н", "г. Шымкент, Аль-Фарабийский р-н", "г. Шымкент, Енбекшинский р-н",
                   "г. Шымкент, Каратауский р-н"], ["Шымкент", "Оңтүстік", "Бадам", "Сайрам"],
                  {"construction": 8, "manufacturing": 5, "oil": 2, "it": 2}),
}
STREETS = ["ул. Абая", "пр. Республики", "ул. Толе би", "ул. Казыбек би", "ул. Сатпаева", "ул. Байтурсынова",
           "ул. Жамбыла", "ул. Кунаева", "ул. Ауэзова", "ул. Момышулы", "пр. Независимости", "ул. Айтеке би",
           "ул. Гагарина", "ул. Бокейханова", "Промышленная зона", "ул. Желтоксан"]
# Name words by industry: the second half of a name after a place word or a Kazakh word.
INDUSTRY_WORDS = {
    "oil": ["Мұнай Сервис", "Нефтесервис", "Бұрғылау", "Ойл Инжиниринг", "Петро Монтаж", "Drilling Service",
            "Геофизика", "Трубопровод Строй"],
    "mining": ["Кен Байыту", "ГорМаш", "Металл", "Mining Services", "Рудник Сервис", "Тау-Кен Құрылыс",
               "Геология"],
    "construction": ["Құрылыс", "Строй Инвест", "Құрылыс Монтаж", "Жол Құрылыс", "Девелопмент", "Build Group",
                     "СтройТехКонтракт", "Тас Құрылыс"],
    "energy": ["Энерго Монтаж", "Жылу Энерго", "Электр Желілері", "Power Service"],
    "agro": ["Агро", "Береке Агро", "Ырыс Агро", "Дән", "Жер Агро", "Агрофирма", "Бақша", "Егін"],
    "manufacturing": ["Завод Металлоконструкций", "Химпром", "Цемент", "Машзавод", "Пластик", "Полимер",
                      "Тамақ Өнеркәсібі"],
    "it": ["Digital Solutions", "Софт", "IT Systems", "Технолоджис", "Дата Сервис", "Cloud Lab"],
    "services": ["Медикал", "Клиник", "Отель Сервис", "Қонақ Үй", "Ресторан Групп"],
}
KAZAKH_WORDS = ["Береке", "Бірлік", "Достық", "Шаңырақ", "Ақжол", "Нұр", "Алтын", "Игілік", "Өркен", "Мерей",
                "Самұрық", "Тұлпар", "Болашақ", "Жұлдыз", "Қазына", "Ақ Тау", "Кең Дала", "Дала"]
FARMERS = ["Сейткали", "Жумабаев", "Оспанов", "Тлеубаев", "Мусин", "Калиев", "Ержанов", "Абдраимов", "Ким",
           "Петренко", "Бекмухамбетов", "Нургалиев"]
# (category, occupation code, requested count for a medium employer): the first two always asked,
# then two to four of the rest.
PROFILES = {
    "oil": [("1", "1120", 2), ("2", "1322", 8), ("3", "2146", 14), ("3", "2144", 10), ("3", "3117", 8),
            ("3", "2151", 6), ("4", "8113", 14), ("4", "7212", 12), ("4", "7126", 8), ("2", "1324", 4)],
    "mining": [("1", "1120", 2), ("2", "1322", 6), ("3", "2146", 12), ("3", "3117", 8), ("3", "2141", 6),
               ("4", "8111", 10), ("4", "8121", 6), ("4", "7233", 5), ("3", "2151", 5)],
    "construction": [("1", "1120", 1), ("2", "1323", 7), ("3", "2142", 12), ("3", "3123", 8), ("3", "3112", 6),
                     ("4", "7112", 8), ("4", "7114", 6), ("4", "7212", 6), ("4", "8343", 4), ("4", "7411", 5)],
    "energy": [("1", "1120", 1), ("2", "1321", 5), ("3", "2151", 10), ("3", "3113", 8), ("4", "7412", 6),
               ("4", "7212", 5)],
    "agro": [("2", "1219", 1), ("S", "9211", 60), ("S", "6111", 25), ("S", "6112", 15), ("S", "9213", 12),
             ("4", "7233", 3), ("3", "2263", 2)],
    "manufacturing": [("1", "1120", 1), ("2", "1321", 6), ("3", "2141", 10), ("3", "2145", 6), ("3", "3122", 6),
                      ("4", "7223", 6), ("4", "8211", 5), ("3", "3139", 5)],
    "it": [("1", "1120", 1), ("2", "1330", 8), ("3", "2512", 16), ("3", "2514", 10), ("3", "2431", 4),
           ("3", "2166", 4), ("2", "1211", 2)],
    "services": [("1", "1120", 1), ("2", "1219", 4), ("3", "2212", 6), ("4", "5120", 6), ("3", "3343", 2)],
}
JUSTIFICATIONS = {
    "oil": "Обустройство месторождения и капитальный ремонт скважин по договорам с недропользователем; вахтовый "
           "метод, 2027 год.",
    "mining": "Ввод новой очереди обогатительной фабрики и проходка горных выработок; требуются специалисты с "
              "опытом работы на аналогичном оборудовании.",
    "construction": "Строительство объектов по договорам генерального подряда; дефицит квалифицированных кадров "
                    "подтверждён центром занятости.",
    "energy": "Модернизация энергоблока и тепловых сетей по инвестиционной программе; монтаж импортного "
              "оборудования.",
    "agro": "Сезонные полевые работы (посадка, уход, уборка урожая) на орошаемых землях хозяйства.",
    "manufacturing": "Запуск новой производственной линии по договору поставки оборудования; наладка и обучение "
                     "местного персонала.",
    "it": "Разработка информационных систем по договорам с заказчиками; специалисты редкой квалификации.",
    "services": "Открытие нового объекта; специалисты с международным опытом и обучение местного персонала.",
}
SURNAMES = ["Ахметов", "Сейткалиев", "Жумабаев", "Оспанова", "Тлеубаев", "Мусина", "Калиев", "Ержанов",
            "Абдраимова", "Ким", "Петренко", "Бекмухамбетов", "Нургалиева", "Исмаилов", "Сагындыкова", "Иванов",
            "Карасаев", "Утепова", "Байжанов", "Смагулов", "Кузнецова", "Омаров", "Дюсенова", "Шевченко"]
INITIALS = "АБГДЕЖКМНОРСТ"
POSITIONS = ["Директор", "Генеральный директор", "Председатель правления"]
PARTNERS = ["Холдинг", "Инвест", "Групп", "Девелопмент", "Трейд"]
# Calibrates the profiles to the national mix of 2026 (726 / 3402 / 5893 / 3131 / 4994 by category 1-4 and
# seasonal): about a tenth more than that is asked and, after the Commissions' cuts, approved.
CATEGORY_SCALE = {"1": 3.0, "2": 2.5, "3": 2.1, "4": 1.7, "S": 0.95}
SCALES = [0.5, 0.8, 1.0, 1.0, 1.3, 1.8, 2.6]


@contextlib.contextmanager
def own_dates(*models):
    """Let bulk_create keep the dates given (auto_now/auto_now_add would stamp today): the demo's
    records are dated as they would have happened. Single-threaded seed_demo only."""
    fields = [f for m in models for f in m._meta.concrete_fields if getattr(f, "auto_now", False)
              or getattr(f, "auto_now_add", False)]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, add in saved:
            f.auto_now, f.auto_now_add = now, add


def at(y, m, d, h=10, mi=0) -> dt.datetime:
    return dt.datetime(y, m, d, h, mi, tzinfo=ALMATY)


def _number(rng: random.Random, prefix: str, taken: set[str]) -> str:
    """A valid BIN/IIN: `prefix` (the date part) + serial digits + the check digit."""
    while True:
        first11 = prefix + "".join(str(rng.randint(0, 9)) for _ in range(11 - len(prefix)))
        check = bin_iin_check_digit(first11)
        if check is not None and first11 + str(check) not in taken:
            taken.add(first11 + str(check))
            return first11 + str(check)


def _bin(rng, taken) -> str:
    # YYMM of registration, 4 = resident legal entity, 0 = head office, then the serial.
    return _number(rng, f"{rng.randint(3, 24):02d}{rng.randint(1, 12):02d}40", taken)


def _iin(rng, taken) -> str:
    # YYMMDD of birth, 3 = a man born in the 20th century.
    return _number(rng, f"{rng.randint(60, 89):02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}3", taken)


def _employers(code: str, rng: random.Random, taken: set[str]) -> list[dict]:
    towns, places, industries = REGIONS[code]
    out, names = [], set()
    for industry, n in industries.items():
        for _i in range(n):
            natural = industry == "agro" and rng.random() < 0.35
            while True:
                if natural:
                    name = f"КХ «{rng.choice(FARMERS)}»" if rng.random() < 0.5 else \
                        f"КХ «{rng.choice(KAZAKH_WORDS)}-{rng.choice(places)}»"
                else:
                    first = rng.choice(places if rng.random() < 0.5 else KAZAKH_WORDS)
                    form = "АО" if rng.random() < 0.12 else "ТОО"
                    name = f"{form} «{first} {rng.choice(INDUSTRY_WORDS[industry])}»"
                if name not in names:
                    names.add(name)
                    break
            town = rng.choice(towns)
            address = f"{town}, {rng.choice(STREETS)}, {rng.randint(1, 180)}"
            if industry in ("agro", "mining", "oil") and rng.random() < 0.3:
                address = f"{town}, {rng.choice(['Промышленная зона', 'участок', 'квартал'])} {rng.randint(1, 40)}"
            out.append({"industry": industry, "name": name, "address": address, "natural": natural,
                        "bin": _iin(rng, taken) if natural else _bin(rng, taken),
                        "scale": rng.choice(SCALES)})
    return out


def _lines(industry: str, scale: float, rng: random.Random) -> list[tuple[str, str, int]]:
    rows = PROFILES[industry]
    chosen = rows[:2] + rng.sample(rows[2:], k=min(len(rows) - 2, rng.randint(2, 4)))
    return [(cat, code, max(1, round(count * CATEGORY_SCALE[cat] * scale * rng.uniform(0.6, 1.5))))
            for cat, code, count in chosen]


def seed(*, campaign: Campaign, exclude: tuple[str, ...], stdout) -> int:
    """Employers and filed applications in every region but `exclude` that has none yet; returns the
    number of applications made."""
    occupations = {o.code: o for o in Occupation.objects.filter(
        code__in={code for rows in PROFILES.values() for _c, code, _n in rows})}
    regions = [r for r in Region.objects.filter(code__in=REGIONS).exclude(code__in=exclude).order_by("code")
               if not Application.objects.filter(campaign=campaign, region=r).exists()]
    if not regions:
        return 0
    taken = set(Organization.objects.values_list("bin_iin", flat=True))
    password = make_password(None)  # no login: these owners exist to have filed the applications
    with translation.override("ru"):
        declaration = str(DECLARATION)
    made = 0
    with own_dates(Organization, User, Membership, Application, Version, StatusChange):
        for region in regions:
            rng = random.Random(f"{campaign.year}-{region.code}")
            employers = _employers(region.code, rng, taken)
            created = at(2026, 1, 20)
            orgs = Organization.objects.bulk_create([Organization(
                kind=Organization.Kind.NATURAL if e["natural"] else Organization.Kind.LEGAL, bin_iin=e["bin"],
                name=e["name"], legal_address=e["address"], region=region, created_at=created,
                email=f"info.{e['bin']}@employers.demo.kz", phone=f"+7 7{rng.randint(10, 29)} {rng.randint(100, 999)} "
                f"{rng.randint(10, 99)} {rng.randint(10, 99)}") for e in employers])
            owners = User.objects.bulk_create([User(
                email=f"hr.{org.bin_iin}@employers.demo.kz", full_name=f"Отдел кадров {org.name}", language="ru",
                password=password, date_joined=created) for org in orgs])
            Membership.objects.bulk_create([Membership(user=u, organization=o, role=Role.EMPLOYER_OWNER,
                                                       created_at=created) for u, o in zip(owners, orgs, strict=True)])
            apps, all_lines, projects, stamps = [], [], [], []
            for n, (e, org, owner) in enumerate(zip(employers, orgs, owners, strict=True), start=1):
                submitted = at(2026, 9, rng.randint(1, 30), rng.randint(9, 18), rng.randint(0, 59))
                app = Application(
                    organization=org, campaign=campaign, region=region, status=S.UNDER_REVIEW,
                    current_year_count=int(rng.randint(0, 30) * e["scale"]),
                    justification=JUSTIFICATIONS[e["industry"]],
                    signer_position="Глава хозяйства" if e["natural"] else rng.choice(POSITIONS),
                    signer_name=f"{rng.choice(SURNAMES)} {rng.choice(INITIALS)}. {rng.choice(INITIALS)}.",
                    registration_number=f"{campaign.year}-{region.code}-{n:06d}", submitted_at=submitted,
                    created_by=owner, created_at=submitted - dt.timedelta(days=rng.randint(1, 20)),
                    updated_at=at(2026, 10, 1, 0, 5), revision=2)
                apps.append(app)
                lines = [Line(application=app, category=cat, occupation=occupations[code], count=count, position=i)
                         for i, (cat, code, count) in enumerate(_lines(e["industry"], e["scale"], rng))
                         if code in occupations]
                all_lines.append(lines)
                projects.append(Project(application=app, name=rng.choice(["Договор подряда", "Договор поставки",
                                                                            "Инвестиционный контракт"]),
                                        number=f"{rng.randint(10, 299)}/2026",
                                        date=dt.date(2026, rng.randint(1, 8), rng.randint(1, 28)),
                                        counterparty=f"ТОО «{rng.choice(KAZAKH_WORDS)} {rng.choice(PARTNERS)}»"))
                stamps.append((owner, submitted))
            Application.objects.bulk_create(apps)
            Line.objects.bulk_create([ln for lines in all_lines for ln in lines])
            Project.objects.bulk_create(projects)
            versions, changes = [], []
            for app, lines, project, (owner, submitted) in zip(apps, all_lines, projects, stamps, strict=True):
                org = app.organization
                snapshot = {
                    "organization": {"bin_iin": org.bin_iin, "name": org.name, "legal_address": org.legal_address},
                    "campaign": campaign.year,
                    "region": {"code": region.code, "name_ru": region.name_ru, "name_kk": region.name_kk},
                    "current_year_count": app.current_year_count, "justification": app.justification,
                    "signer_position": app.signer_position, "signer_name": app.signer_name,
                    "lines": [{"category": ln.category, "occupation": ln.occupation.code,
                               "occupation_ru": ln.occupation.name_ru, "occupation_kk": ln.occupation.name_kk,
                               "occupation_en": ln.occupation.name_en, "specialty": "", "count": ln.count}
                              for ln in lines],
                    "projects": [{"name": project.name, "number": project.number, "date": project.date.isoformat(),
                                  "counterparty": project.counterparty}],
                    "attachments": [], "registration_number": app.registration_number,
                    "submitted_at": submitted.isoformat(), "declaration": declaration, "version": 1}
                versions.append(Version(application=app, number=1, registration_number=app.registration_number,
                                        snapshot=snapshot, sha256=hashlib.sha256(canonical_json(snapshot)).hexdigest(),
                                        submitted_at=submitted, submitted_by=owner))
                changes.append(StatusChange(application=app, from_status=S.DRAFT, to_status=S.SUBMITTED, actor=owner,
                                            note=f"{app.registration_number} · v1", at=submitted))
                changes.append(StatusChange(application=app, from_status=S.SUBMITTED, to_status=S.UNDER_REVIEW,
                                            note_key=FILING_CLOSED_NOTE, at=at(2026, 10, 1, 0, 5)))
            Version.objects.bulk_create(versions)
            StatusChange.objects.bulk_create(changes)
            RegistrationCounter.objects.update_or_create(campaign=campaign, region=region,
                                                         defaults={"last": len(apps)})
            made += len(apps)
    stdout.write(f"  applications in {len(regions)} more regions: {made} filed and under review")
    return made


def advance(moves: list[dict]) -> None:
    """The review's status moves of the demo's bulk applications, with their dates (demo only: the
    portal's own moves go through workflow.transition). Each move, in order: application_id, to,
    at, and optionally actor, note_key, note_params and, for "decided", outcome."""
    status = dict(Application.objects.filter(pk__in={m["application_id"] for m in moves})
                  .values_list("pk", "status"))
    changes, final, counts = [], {}, {}
    for m in moves:
        app_id = m["application_id"]
        changes.append(StatusChange(application_id=app_id, from_status=status[app_id], to_status=m["to"],
                                    actor=m.get("actor"), note_key=m.get("note_key", ""),
                                    note_params=m.get("note_params") or {}, at=m["at"]))
        status[app_id] = m["to"]
        final[app_id] = m
        counts[app_id] = counts.get(app_id, 0) + 1
    with own_dates(StatusChange):
        StatusChange.objects.bulk_create(changes)
    groups: dict[tuple, list[int]] = {}
    for app_id, m in final.items():
        groups.setdefault((m["to"], m.get("outcome") or "", m["at"], counts[app_id]), []).append(app_id)
    for (to, outcome, moment, n), ids in groups.items():
        Application.objects.filter(pk__in=ids).update(status=to, outcome=outcome, updated_at=moment,
                                                      revision=F("revision") + n)
