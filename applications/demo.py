"""Demo applications for `seed_demo` (DEBUG only): made through the services, idempotent.

employer@demo.kz: a 2028 draft in Astana and 2027 applications submitted in Astana and Atyrau;
employer2@demo.kz: a 2027 application in Astana; and ten more employers per demo region with
submitted 2027 applications (the filing deadline, 1 Oct 2026, has passed: they are filed in a
travelled-to September 2026 and then the deadline sweep moves them to "under review").
"""
from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from quota_portal.core.audit import audited
from quota_portal.core.models import Campaign, Membership, Occupation, Organization, Region, Role, User
from quota_portal.core.validators import make_bin_iin

from . import demo_regions, services
from .models import Application

ASTANA, ATYRAU = "710000000", "230000000"

OCCUPATIONS = {
    "1120": ("Руководители учреждений, организаций и предприятий",
             "Мекемелердің, ұйымдардың және кәсіпорындардың басшылары",
             "Managing directors and chief executives"),
    "1323": ("Руководители подразделений в строительстве",
             "Құрылыстағы бөлімшелердің басшылары",
             "Construction managers"),
    "2142": ("Инженеры-строители", "Құрылыс инженерлері", "Civil engineers"),
    "2144": ("Инженеры-механики", "Механик инженерлер", "Mechanical engineers"),
    "2146": ("Горные инженеры, металлурги и специалисты родственных занятий",
             "Тау-кен инженерлері, металлургтер және сабақтас кәсіптердің мамандары",
             "Mining engineers, metallurgists and related professionals"),
    "3112": ("Техники-строители", "Құрылыс техниктері", "Civil engineering technicians"),
    "3115": ("Техники-механики", "Механика техниктері", "Mechanical engineering technicians"),
    "6111": ("Полеводы и овощеводы", "Егіншілер мен көкөніс өсірушілер", "Field crop and vegetable growers"),
    "7112": ("Каменщики и рабочие родственных занятий",
             "Тас қалаушылар және сабақтас жұмысшылар",
             "Bricklayers and related workers"),
    "7126": ("Сантехники и монтажники трубопроводов",
             "Сантехниктер мен құбыр желілерін монтаждаушылар",
             "Plumbers and pipe fitters"),
    "7212": ("Сварщики и газорезчики", "Дәнекерлеушілер мен газбен кесушілер", "Welders and flamecutters"),
    "7233": ("Механики и ремонтники сельскохозяйственного и промышленного оборудования",
             "Ауыл шаруашылығы және өнеркәсіптік жабдықтың механиктері мен жөндеушілері",
             "Agricultural and industrial machinery mechanics and repairers"),
    "8113": ("Бурильщики скважин и рабочие родственных занятий",
             "Ұңғыма бұрғылаушылар және сабақтас жұмысшылар",
             "Well drillers and borers and related workers"),
    "8342": ("Машинисты землеройных и аналогичных машин",
             "Жер қазатын және ұқсас машиналардың машинистері",
             "Earthmoving and related plant operators"),
    "9211": ("Подсобные рабочие в растениеводстве",
             "Өсімдік шаруашылығындағы қосалқы жұмысшылар",
             "Crop farm labourers"),
    "9312": ("Подсобные рабочие на строительстве дорог, плотин и аналогичных объектов",
             "Жолдар, бөгеттер және ұқсас объектілер құрылысындағы қосалқы жұмысшылар",
             "Civil engineering labourers"),
}

# (11 digits of the BIN, name, address, region, profile)
OTHER_EMPLOYERS = [
    ("1904400011", "ТОО «Есиль Құрылыс Групп»", "г. Астана, ул. Кенесары, 40", ASTANA, "construction"),
    ("1904400022", "ТОО «Сарыарқа Инжиниринг»", "г. Астана, пр. Туран, 19", ASTANA, "construction"),
    ("1904400033", "АО «Астана Жарық»", "г. Астана, ул. Бейбітшілік, 11", ASTANA, "engineering"),
    ("1904400044", "ТОО «Нұр-Тау Девелопмент»", "г. Астана, пр. Мәңгілік Ел, 24", ASTANA, "construction"),
    ("1904400055", "ТОО «Байтерек Монтаж»", "г. Астана, ул. Сығанақ, 5", ASTANA, "engineering"),
    ("1904400066", "ТОО «Qazaq Smart Build»", "г. Астана, ул. Достық, 3", ASTANA, "construction"),
    ("1904400077", "ТОО «Алтын Орда Логистик»", "г. Астана, пр. Абая, 88", ASTANA, "engineering"),
    ("1904400088", "ТОО «Көкжиек Агро»", "Акмолинская обл., г. Косшы, ул. Республики, 2", ASTANA, "agro"),
    ("1904400099", "ТОО «Ақ Орда Сервис»", "г. Астана, ул. Шарль де Голль, 7", ASTANA, "construction"),
    ("1904400100", "ТОО «Астана ТехСтрой»", "г. Астана, ул. Ә. Бөкейхан, 12", ASTANA, "engineering"),
    ("1906400011", "ТОО «Атырау Мұнай Құрылыс»", "г. Атырау, ул. Азаттык, 48", ATYRAU, "oil"),
    ("1906400022", "ТОО «Каспий Бұрғылау»", "г. Атырау, пр. Студенческий, 52", ATYRAU, "oil"),
    ("1906400033", "АО «Жайық Энерго»", "г. Атырау, ул. Баймуханова, 9", ATYRAU, "engineering"),
    ("1906400044", "ТОО «Теңіз Сервис Логистик»", "г. Атырау, ул. Сатпаева, 23", ATYRAU, "oil"),
    ("1906400055", "ТОО «Құлсары Темір»", "Атырауская обл., г. Кульсары, ул. Бейбарыс, 1", ATYRAU, "construction"),
    ("1906400066", "ТОО «Атырау Петро Монтаж»", "г. Атырау, ул. Смагулова, 60", ATYRAU, "oil"),
    ("1906400077", "ТОО «Embi Oil Field Service»", "г. Атырау, мкр. Нурсая, 14", ATYRAU, "oil"),
    ("1906400088", "ТОО «Жылыой Құрылыс»", "Атырауская обл., Жылыойский р-н, п. Жана Каратон", ATYRAU, "construction"),
    ("1906400099", "ТОО «Caspian Pipe Coating»", "г. Атырау, Промзона, 3", ATYRAU, "engineering"),
    ("1906400100", "ТОО «Атырау Агро Өнім»", "Атырауская обл., Махамбетский р-н, с. Бейбарыс", ATYRAU, "agro"),
]

PROFILES = {
    "construction": [("1", "1120", 1), ("2", "1323", 2), ("3", "2142", 6), ("3", "3112", 8), ("4", "7112", 30),
                     ("4", "7212", 25), ("4", "8342", 12)],
    "engineering": [("1", "1120", 1), ("3", "2144", 5), ("3", "3115", 8), ("4", "7126", 15), ("4", "7233", 10)],
    "oil": [("2", "1323", 2), ("3", "2146", 6), ("3", "2144", 4), ("4", "8113", 28), ("4", "7212", 35),
            ("4", "7126", 20)],
    "agro": [("2", "1323", 1), ("S", "9211", 60), ("S", "6111", 25), ("4", "7233", 4)],
}

JUSTIFICATIONS = {
    "construction": "Строительство жилого комплекса по договору генерального подряда; дефицит квалифицированных "
                    "сварщиков и каменщиков в регионе подтверждён центром занятости.",
    "engineering": "Монтаж и пусконаладка импортного оборудования по контракту поставки; требуются специалисты "
                   "завода-изготовителя.",
    "oil": "Обустройство месторождения и ремонт скважин по договорам с недропользователем; работы вахтовым "
           "методом в 2027 году.",
    "agro": "Сезонные полевые работы (посадка, уход, уборка урожая) на 1 200 га орошаемых земель.",
}


def _occupation(code: str) -> Occupation:
    occ = Occupation.objects.filter(code=code).first()
    if occ is None:
        ru, kk, en = OCCUPATIONS[code]
        occ, _ = Occupation.objects.update_or_create(code=code, defaults={"name_ru": ru, "name_kk": kk, "name_en": en})
    return occ


def _lines(profile: str, rng: random.Random, scale: float = 1.0) -> list[dict]:
    rows = PROFILES[profile]
    chosen = rows[:2] + rng.sample(rows[2:], k=min(len(rows) - 2, rng.randint(2, 4)))
    return [{"category": cat, "occupation": _occupation(code), "specialty": "",
             "count": max(1, int(count * scale * rng.uniform(0.6, 1.4)))} for cat, code, count in chosen]


def _fill_and_submit(app: Application, actor: User, profile: str, rng: random.Random, *, submit: bool,
                     signer: tuple[str, str]) -> None:
    app.refresh_from_db()
    services.application_save_draft(
        actor=actor, application=app, expected_revision=app.revision,
        current_year_count=rng.randint(0, 40), justification=JUSTIFICATIONS[profile],
        signer_position=signer[0], signer_name=signer[1], lines=_lines(profile, rng),
        projects=[{"name": "Договор подряда", "number": f"{rng.randint(10, 99)}/2026",
                   "date": dt.date(2026, rng.randint(1, 8), rng.randint(1, 28)), "counterparty": "ТОО «KazBuild»"}])
    if submit:
        app.refresh_from_db()
        services.application_submit(actor=actor, application=app, expected_revision=app.revision)


def _ensure(org: Organization, actor: User, campaign: Campaign, region: Region, profile: str, rng: random.Random,
            *, submit: bool, signer=("Директор", "Руководитель")) -> bool:
    if Application.objects.filter(organization=org, campaign=campaign, region=region).exists():
        return False
    with transaction.atomic():
        app = services.application_start(actor=actor, organization=org, campaign=campaign, region=region)
        _fill_and_submit(app, actor, profile, rng, submit=submit, signer=signer)
    return True


def _owner(email: str) -> tuple[User, Organization] | None:
    m = (Membership.objects.filter(user__email=email, role=Role.EMPLOYER_OWNER)
         .select_related("user", "organization").first())
    return (m.user, m.organization) if m else None


def seed(*, stdout) -> None:
    import time_machine

    from quota_portal.core.calendar import ALMATY

    from .sweeps import close_filing

    rng = random.Random(2027)
    c2027 = Campaign.objects.get(year=2027)
    c2028 = Campaign.objects.get(year=2028)
    regions = {r.code: r for r in Region.objects.filter(code__in=[ASTANA, ATYRAU])}
    for code in OCCUPATIONS:
        _occupation(code)
    created = 0
    september = dt.datetime(2026, 9, 14, 10, 0, tzinfo=ALMATY)
    with time_machine.travel(september, tick=True):
        main = _owner("employer@demo.kz")
        if main:
            user, org = main
            signer = ("Генеральный директор", user.full_name or "Садыкова Айгерим")
            created += _ensure(org, user, c2027, regions[ASTANA], "construction", rng, submit=True, signer=signer)
            created += _ensure(org, user, c2027, regions[ATYRAU], "oil", rng, submit=True, signer=signer)
        second = _owner("employer2@demo.kz")
        if second:
            user, org = second
            created += _ensure(org, user, c2027, regions[ASTANA], "engineering", rng, submit=True,
                               signer=("Директор", user.full_name or "Жумабеков Ерлан"))
        for i, (digits, name, address, region_code, profile) in enumerate(OTHER_EMPLOYERS):
            org, _ = Organization.objects.get_or_create(
                bin_iin=make_bin_iin(_eleven(digits)),
                defaults={"name": name, "legal_address": address, "region": regions[region_code]})
            email = f"hr{i + 1:02d}@employers.demo.kz"
            user, new = User.objects.get_or_create(email=email, defaults={"full_name": f"Отдел кадров {name}"})
            if new:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            Membership.objects.get_or_create(user=user, organization=org, role=Role.EMPLOYER_OWNER)
            # Most filed on time; one per region left its draft unsubmitted.
            created += _ensure(org, user, c2027, regions[region_code], profile, rng, submit=i % 10 != 7,
                               signer=("Директор", f"Руководитель {name}"))
    main = _owner("employer@demo.kz")
    if main:
        user, org = main
        created += _ensure(org, user, c2028, regions[ASTANA], "construction", rng, submit=False,
                           signer=("Генеральный директор", user.full_name))
    # The deadline sweep runs right after 1 October 2026, as the beat would have: the timeline dates
    # the move to "under review" then, not on the day the demo is loaded.
    with time_machine.travel(dt.datetime(2026, 10, 1, 0, 5, tzinfo=ALMATY), tick=True):
        moved = close_filing()
    stdout.write(f"  applications: {created} new, {moved} moved by the filing-deadline sweep")
    # The other regions: employers and applications in bulk, filed and already under review.
    with transaction.atomic(), audited(None, "applications_demo_regions"):
        demo_regions.seed(campaign=c2027, exclude=(ASTANA, ATYRAU), stdout=stdout)


def _eleven(digits: str) -> str:
    """11 digits with a valid check digit available (bump the last digit until one exists)."""
    from quota_portal.core.validators import bin_iin_check_digit

    base = int(digits[:11].ljust(11, "0"))
    while bin_iin_check_digit(f"{base:011d}") is None:
        base += 1
    return f"{base:011d}"
