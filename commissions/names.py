"""Proper names of the akimat and the Commission in the language of a letter.

The Russian genitive forms of the 20 regions live in the core reference data."""
from __future__ import annotations

from django.utils import translation

from quota_portal.core.reference import REGION_GENITIVE_RU


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


# Rules p.8: "Комиссии по формированию квоты на привлечение иностранной рабочей силы (далее – Комиссия)".
# The Kazakh name translates the Russian one: the official Kazakh text of Order No. 274 was not at hand.
COMMISSION_NAME_RU = "Комиссия по формированию квоты на привлечение иностранной рабочей силы"
COMMISSION_NAME_KK = "шетелдік жұмыс күшін тартуға квота қалыптастыру жөніндегі комиссия"
COMMISSION_NAME_EN = "Commission for forming the quota for attracting foreign labour"


def default_commission_names(region) -> dict:
    """The Commission's name in each language (Rules p.8), built from the region's proper names."""
    genitive = REGION_GENITIVE_RU.get(region.code, region.name_ru)
    return {
        "name": f"{COMMISSION_NAME_RU} {genitive}",
        "name_kk": f"{region.akimat.name_kk} жанындағы {COMMISSION_NAME_KK}",
        "name_en": f"{COMMISSION_NAME_EN}, {region.akimat.name_en}",
    }


def commission_name(commission, language: str | None = None) -> str:
    """The Commission's name in the letter's language (the Russian name when no other is set)."""
    lang = _lang(language)
    if lang == "kk" and commission.name_kk:
        return commission.name_kk
    if lang == "en" and commission.name_en:
        return commission.name_en
    return commission.name
