"""Reference data shipped with the portal: regions (KATO), their akimats, the Ministry and the
central state bodies. Loaded by a data migration and re-runnable (idempotent)."""
from __future__ import annotations

import csv
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"

MINISTRY = {
    "name_ru": "Министерство труда и социальной защиты населения Республики Казахстан",
    "name_kk": "Қазақстан Республикасы Еңбек және халықты әлеуметтік қорғау министрлігі",
    "name_en": "Ministry of Labour and Social Protection of the Population of the Republic of Kazakhstan",
    "address": "010000, г. Астана, ул. Мәңгілік Ел, 8, Дом министерств, подъезд 2",
    "email": "kense@enbek.kz",
}

CENTRAL_BODIES = [
    ("Министерство энергетики Республики Казахстан", "Қазақстан Республикасы Энергетика министрлігі",
     "Ministry of Energy of the Republic of Kazakhstan"),
    ("Министерство промышленности и строительства Республики Казахстан",
     "Қазақстан Республикасы Өнеркәсіп және құрылыс министрлігі",
     "Ministry of Industry and Construction of the Republic of Kazakhstan"),
    ("Министерство сельского хозяйства Республики Казахстан", "Қазақстан Республикасы Ауыл шаруашылығы министрлігі",
     "Ministry of Agriculture of the Republic of Kazakhstan"),
    ("Министерство здравоохранения Республики Казахстан", "Қазақстан Республикасы Денсаулық сақтау министрлігі",
     "Ministry of Health of the Republic of Kazakhstan"),
    ("Министерство просвещения Республики Казахстан", "Қазақстан Республикасы Оқу-ағарту министрлігі",
     "Ministry of Education of the Republic of Kazakhstan"),
    ("Министерство науки и высшего образования Республики Казахстан",
     "Қазақстан Республикасы Ғылым және жоғары білім министрлігі",
     "Ministry of Science and Higher Education of the Republic of Kazakhstan"),
    ("Министерство транспорта Республики Казахстан", "Қазақстан Республикасы Көлік министрлігі",
     "Ministry of Transport of the Republic of Kazakhstan"),
    ("Министерство цифрового развития, инноваций и аэрокосмической промышленности Республики Казахстан",
     "Қазақстан Республикасы Цифрлық даму, инновациялар және аэроғарыш өнеркәсібі министрлігі",
     "Ministry of Digital Development, Innovation and Aerospace Industry of the Republic of Kazakhstan"),
    ("Министерство туризма и спорта Республики Казахстан", "Қазақстан Республикасы Туризм және спорт министрлігі",
     "Ministry of Tourism and Sports of the Republic of Kazakhstan"),
    ("Министерство водных ресурсов и ирригации Республики Казахстан",
     "Қазақстан Республикасы Су ресурстары және ирригация министрлігі",
     "Ministry of Water Resources and Irrigation of the Republic of Kazakhstan"),
    ("Министерство национальной экономики Республики Казахстан",
     "Қазақстан Республикасы Ұлттық экономика министрлігі",
     "Ministry of National Economy of the Republic of Kazakhstan"),
    ("Министерство внутренних дел Республики Казахстан", "Қазақстан Республикасы Ішкі істер министрлігі",
     "Ministry of Internal Affairs of the Republic of Kazakhstan"),
]


def akimat_names(region) -> dict:
    if region.kind == "oblast":
        return {
            "name_ru": f"Акимат: {region.name_ru}",
            "name_kk": f"{region.name_kk} әкімдігі",
            "name_en": f"Akimat of {region.name_en}",
        }
    return {
        "name_ru": f"Акимат города {region.name_ru}",
        "name_kk": f"{region.name_kk} қаласының әкімдігі",
        "name_en": f"Akimat of {region.name_en}",
    }


def load_reference(Region, Authority) -> None:
    """Create or update regions, akimats, the Ministry and the central bodies."""
    with open(FIXTURES / "regions.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            region, _ = Region.objects.update_or_create(
                code=row["code"],
                defaults={"name_kk": row["name_kk"], "name_ru": row["name_ru"], "name_en": row["name_en"],
                          "kind": row["kind"], "iso_code": row["iso_3166_2"]},
            )
            Authority.objects.update_or_create(kind="akimat", region=region, defaults=akimat_names(region))
    Authority.objects.update_or_create(kind="ministry", defaults=MINISTRY)
    for ru, kk, en in CENTRAL_BODIES:
        Authority.objects.update_or_create(kind="central", name_ru=ru, defaults={"name_kk": kk, "name_en": en})
