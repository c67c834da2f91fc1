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


# Region code -> the region in the Russian genitive ("Акимат Атырауской области").
REGION_GENITIVE_RU = {
    "100000000": "области Абай",
    "110000000": "Акмолинской области",
    "150000000": "Актюбинской области",
    "190000000": "Алматинской области",
    "230000000": "Атырауской области",
    "270000000": "Западно-Казахстанской области",
    "310000000": "Жамбылской области",
    "330000000": "области Жетісу",
    "350000000": "Карагандинской области",
    "390000000": "Костанайской области",
    "430000000": "Кызылординской области",
    "470000000": "Мангистауской области",
    "550000000": "Павлодарской области",
    "590000000": "Северо-Казахстанской области",
    "610000000": "Туркестанской области",
    "620000000": "области Ұлытау",
    "630000000": "Восточно-Казахстанской области",
    "710000000": "города Астаны",
    "750000000": "города Алматы",
    "790000000": "города Шымкента",
}


def akimat_names(region) -> dict:
    if region.kind == "oblast":
        return {
            "name_ru": f"Акимат {REGION_GENITIVE_RU.get(region.code, region.name_ru)}",
            "name_kk": f"{region.name_kk} әкімдігі",
            "name_en": f"Akimat of {region.name_en}",
        }
    return {
        "name_ru": f"Акимат {REGION_GENITIVE_RU.get(region.code, 'города ' + region.name_ru)}",
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


# --- Countries of origin (ISO 3166-1 from pycountry) ------------------------------------------

# Treaties on labour migration ratified by Kazakhstan, seeded on first load only; afterwards the
# Ministry maintains the flag in the portal (Rules p.4(2), p.17). Only treaties we are sure of are
# flagged: the Treaty on the Eurasian Economic Union (Section XXVI "Labour migration").
# Citizens of EAEU members work in Kazakhstan without permits (EAEU Treaty art. 97), so they are
# outside the quota: marked exempt, never as treaty countries of p.4(2)/p.17.
EAEU_MEMBERS = ("AM", "BY", "KG", "RU")
# No treaty country is seeded: the Ministry records each ratified treaty with its reference and date.
TREATIES: dict[str, str] = {}
# Bilateral agreements the Ministry should confirm before flagging (not flagged by the seed).
TO_VERIFY = {
    "UZ": "Соглашение о трудовой деятельности и защите прав трудящихся-мигрантов: проверить ратификацию",
    "TJ": "Соглашение о трудовой деятельности и защите прав трудящихся-мигрантов: проверить ратификацию",
}


# Names as Kazakhstan's state bodies write them, where the ISO translation differs.
NAME_OVERRIDES = {"KG": {"name_ru": "Кыргызстан", "name_kk": "Қырғызстан"}}


def _country_translations(lang: str):
    import gettext

    import pycountry

    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang]).gettext
    except OSError:
        return None


def load_countries(Country) -> int:
    """Create or rename every ISO 3166-1 country except Kazakhstan; keep the Ministry's flags."""
    import pycountry

    ru = _country_translations("ru")
    kk = _country_translations("kk")
    # Migration 0003 calls this with a historical model that predates the EAEU flag (0010 sets it then).
    has_flag = any(f.name == "is_eaeu_member" for f in Country._meta.get_fields())

    def eaeu(alpha2: str) -> dict:
        return {"is_eaeu_member": alpha2 in EAEU_MEMBERS} if has_flag else {}

    count = 0
    for c in pycountry.countries:
        if c.alpha_2 == "KZ":
            continue  # Kazakhstan is not a country of origin of foreign labour
        names = {"name_en": getattr(c, "common_name", None) or c.name,
                 "name_ru": ru(c.name) if ru else c.name, "name_kk": kk(c.name) if kk else "",
                 **NAME_OVERRIDES.get(c.alpha_2, {})}
        country, created = Country.objects.get_or_create(
            alpha2=c.alpha_2,
            defaults={**names, "has_ratified_treaty": c.alpha_2 in TREATIES, **eaeu(c.alpha_2),
                      "treaty_reference": TREATIES.get(c.alpha_2) or TO_VERIFY.get(c.alpha_2, "")},
        )
        if not created and any(getattr(country, k) != v for k, v in names.items()):
            Country.objects.filter(pk=country.pk).update(**names)
        count += 1
    return count


# --- Occupation classifier ---------------------------------------------------------------------

OCCUPATIONS_FILE = FIXTURES / "occupations_isco08.csv"
OCCUPATION_COLUMNS = ("code", "name_en", "name_ru", "name_kk")
MAX_OCCUPATION_ROWS = 20000


class ImportRejected(Exception):
    """The file has bad rows; nothing was imported. `errors` lists them (row number, message)."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def read_occupation_rows(path: Path) -> list[dict]:
    """Rows of an occupation classifier file (.csv or .xlsx) with columns code,name_en,name_ru,name_kk.

    Validates every row and raises ImportRejected listing all bad rows (1-based, header = row 1).
    """
    from django.utils.translation import gettext as _

    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        raw = _xlsx_rows(path)
    elif path.suffix.lower() == ".csv":
        with open(path, encoding="utf-8-sig", newline="") as fh:
            raw = list(csv.reader(fh))
    else:
        raise ImportRejected([_("The file must be .csv or .xlsx.")])
    if not raw:
        raise ImportRejected([_("The file is empty.")])
    header = [str(h or "").strip().lower() for h in raw[0]]
    missing = [c for c in OCCUPATION_COLUMNS if c not in header]
    if missing:
        raise ImportRejected([_("Row 1: missing columns %(columns)s; expected code, name_en, name_ru, name_kk.")
                              % {"columns": ", ".join(missing)}])
    if len(raw) - 1 > MAX_OCCUPATION_ROWS:
        raise ImportRejected([_("The file has more than %(max)d rows.") % {"max": MAX_OCCUPATION_ROWS}])
    index = {c: header.index(c) for c in OCCUPATION_COLUMNS}
    rows, errors, seen = [], [], {}
    for number, values in enumerate(raw[1:], start=2):
        if not any(str(v or "").strip() for v in values):
            continue
        cell = {c: (str(values[i]).strip() if i < len(values) and values[i] is not None else "")
                for c, i in index.items()}
        code = cell["code"]
        raw_code = values[index["code"]] if index["code"] < len(values) else None
        if isinstance(raw_code, (int, float)) and float(raw_code).is_integer():
            code = str(int(raw_code)).zfill(4)  # spreadsheets store 0110 as the number 110
        cell["code"] = code
        if not (code.isdigit() and code.isascii() and len(code) == 4):
            errors.append(_("Row %(row)d: code %(code)r must be a 4-digit ISCO-08 unit group.")
                          % {"row": number, "code": code})
        elif code in seen:
            errors.append(_("Row %(row)d: code %(code)s repeats row %(first)d.")
                          % {"row": number, "code": code, "first": seen[code]})
        else:
            seen[code] = number
        if not cell["name_ru"]:
            errors.append(_("Row %(row)d: the Russian title (name_ru) is required.") % {"row": number})
        for column in ("name_en", "name_ru", "name_kk"):
            if len(cell[column]) > 400:
                errors.append(_("Row %(row)d: %(column)s is longer than 400 characters.")
                              % {"row": number, "column": column})
        rows.append(cell)
    if errors:
        raise ImportRejected(errors)
    if not rows:
        raise ImportRejected([_("The file has no rows.")])
    return rows


def _xlsx_rows(path: Path) -> list[list]:
    from django.utils.translation import gettext as _
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook is a rejected file
        raise ImportRejected([_("The file is not a readable XLSX workbook: %(error)s") % {"error": exc}]) from exc
    try:
        return [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()


# Titles no employer hires abroad: ISCO major group 0 (armed forces) and posts of the state service,
# law enforcement and the penitentiary system, which only citizens hold. The portal's default; the
# Ministry may change any occupation's flag.
NOT_OFFERED_TO_EMPLOYERS = frozenset({
    "0110", "0210", "0310",  # armed forces
    "1111", "1112", "1113",  # legislators, senior government officials, heads of villages
    "3351", "3352", "3353", "3354", "3355", "3359",  # government inspectors and officials, police detectives
    "5412", "5413",  # police officers, prison guards
})


def offered_by_default(code: str) -> bool:
    return not (code.startswith("0") or code in NOT_OFFERED_TO_EMPLOYERS)


def save_occupations(Occupation, rows: list[dict]) -> tuple[int, int]:
    """Create or update occupations from validated rows (the caller owns the transaction)."""
    existing = {o.code: o for o in Occupation.objects.filter(code__in=[r["code"] for r in rows])}
    created = updated = 0
    for row in rows:
        values = {"name_en": row["name_en"], "name_ru": row["name_ru"], "name_kk": row["name_kk"], "is_active": True}
        current = existing.get(row["code"])
        if current is None:
            # Migration 0005's historical model has no flag yet; migration 0011 sets it for those rows.
            flag = ({"offered_to_employers": offered_by_default(row["code"])}
                    if any(f.name == "offered_to_employers" for f in Occupation._meta.fields) else {})
            Occupation.objects.create(code=row["code"], **values, **flag)
            created += 1
        elif any(getattr(current, k) != v for k, v in values.items()):
            Occupation.objects.filter(pk=current.pk).update(**values)
            updated += 1
    return created, updated
