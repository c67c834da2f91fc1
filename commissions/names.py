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
