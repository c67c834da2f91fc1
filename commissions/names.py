"""Proper names of the akimat and the Commission in the language of a letter.

The core reference data names Russian akimats as "Акимат: Атырауская область", which a letterhead
cannot carry; the Russian genitive forms of the 20 regions are kept here instead."""
from __future__ import annotations

from django.utils import translation

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


def _lang(language: str | None) -> str:
    return (language or translation.get_language() or "ru")[:2]


def akimat_name(region, language: str | None = None) -> str:
    """"Акимат Атырауской области" / "Атырау облысы әкімдігі" / "Akimat of Atyrau Region"."""
    lang = _lang(language)
    akimat = region.akimat
    if lang == "kk":
        return akimat.name_kk
    if lang == "en":
        return akimat.name_en
    genitive = REGION_GENITIVE_RU.get(region.code)
    return f"Акимат {genitive}" if genitive else akimat.name_ru


def default_commission_names(region) -> dict:
    """The Commission's name in each language, built from the region's proper names."""
    genitive = REGION_GENITIVE_RU.get(region.code, region.name_ru)
    return {
        "name": f"Комиссия по вопросам привлечения иностранной рабочей силы {genitive}",
        "name_kk": f"{region.akimat.name_kk} жанындағы шетелдік жұмыс күшін тарту мәселелері жөніндегі комиссия",
        "name_en": f"Commission on attracting foreign labour, {region.akimat.name_en}",
    }


def commission_name(commission, language: str | None = None) -> str:
    """The Commission's name in the letter's language (the Russian name when no other is set)."""
    lang = _lang(language)
    if lang == "kk" and commission.name_kk:
        return commission.name_kk
    if lang == "en" and commission.name_en:
        return commission.name_en
    return commission.name
