"""Publishing a distribution version (Rules p.19): its canonical JSON and hash, and the signed
decision PDF, made inside `distribution_publish`'s transaction (allocation/quota_services.py), so
that no published version is ever without them.

The canonical JSON is the public contract of issue 11 (exactly these keys, served at
/public/quota/<year>.json and described by /public/quota/schema.json):

    {"year", "version", "published_at" (ISO 8601 with offset), "labour_force",
     "permits": {"percent_of_labour_force" (string), "total", "by_category": {"1","2","3","4","seasonal"}, "reserve"},
     "labour_immigrants": {"percent_of_labour_force", "total"},
     "regions": [{"code", "name": {"kk","ru","en"}, "permits": {"1","2","3","4","seasonal","total"},
                  "labour_immigrants", "countries": {alpha2: count}}],
     "versions": [{"version", "published_at", "reason"}]}

`permits.by_category[c]` is the sum over regions of `permits[c]`, `permits.total` the sum of
`by_category` plus `reserve`, a region's `total` the sum of its categories. `versions` lists the
published versions up to and including this one (so that a version's content never changes once
published). The bytes are `json.dumps(..., ensure_ascii=False, sort_keys=True, separators=(",", ":"))`
in UTF-8; `content_sha256` is their SHA-256 and the public ETag. The JSON is stored as published
(`Distribution.published_json`): every public file (CSV, XLSX, PDF, the page) is rendered from it.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from quota_portal.core.calendar import ALMATY
from quota_portal.core.errors import DomainError
from quota_portal.core.models import Country, Region
from quota_portal.core.pdf import render_pdf
from quota_portal.core.signing import SigningNotConfigured, sign_pdf

from .publication_content import CATEGORY_KEYS, CONTRACT_CATEGORIES
from .publication_selectors import decision_context
from .quota_models import Component, Distribution, DistributionCell, DistributionStatus

PDF_LANGUAGES = ("ru", "kk")


def iso_datetime(moment: dt.datetime) -> str:
    """ISO 8601 with the offset, Asia/Almaty time, to the second: 2025-12-29T11:30:00+05:00."""
    return timezone.localtime(moment, ALMATY).replace(microsecond=0).isoformat()


def percent_text(value: Decimal | int | str) -> str:
    """A percentage as the contract's string: Decimal("0.25000") -> "0.25", Decimal("3") -> "3"."""
    text = format(Decimal(value).normalize(), "f")
    return text


def _version_entry(d: Distribution) -> dict:
    return {"version": d.number, "published_at": iso_datetime(d.published_at), "reason": d.reason}


def canonical_content(distribution: Distribution) -> dict:
    """The contract's object for `distribution` (published, or being published: its number and
    published_at set), from its cells. Earlier published versions give `versions`."""
    cells = list(DistributionCell.objects.filter(distribution_id=distribution.pk).values_list(
        "region_id", "component", "category", "country_id", "count"))
    region_ids = {c[0] for c in cells}
    regions = {r.pk: r for r in Region.objects.filter(pk__in=region_ids)}
    countries = dict(Country.objects.filter(pk__in={c[3] for c in cells if c[3]}).values_list("pk", "alpha2"))
    rows = {rid: {"permits": dict.fromkeys(CONTRACT_CATEGORIES, 0), "labour_immigrants": 0, "countries": {}}
            for rid in region_ids}
    for region_id, component, category, country_id, count in cells:
        row = rows[region_id]
        if component == Component.PERMITS:
            row["permits"][CATEGORY_KEYS[category]] += count
        elif component == Component.COUNTRIES:
            alpha2 = countries[country_id]
            row["countries"][alpha2] = row["countries"].get(alpha2, 0) + count
        else:
            row["labour_immigrants"] += count
    region_list = []
    for region in sorted(regions.values(), key=lambda r: r.code):
        row = rows[region.pk]
        permits = {**row["permits"], "total": sum(row["permits"].values())}
        region_list.append({
            "code": region.code, "name": {"kk": region.name_kk, "ru": region.name_ru, "en": region.name_en},
            "permits": permits, "labour_immigrants": row["labour_immigrants"], "countries": row["countries"]})
    by_category = {c: sum(r["permits"][c] for r in region_list) for c in CONTRACT_CATEGORIES}
    earlier = (Distribution.objects.filter(campaign_id=distribution.campaign_id, status=DistributionStatus.PUBLISHED,
                                           number__lt=distribution.number).order_by("number"))
    return {
        "year": distribution.campaign.year,
        "version": distribution.number,
        "published_at": iso_datetime(distribution.published_at),
        "labour_force": distribution.labour_force,
        "permits": {
            "percent_of_labour_force": percent_text(distribution.permits_percent),
            "total": sum(by_category.values()) + distribution.reserve,
            "by_category": by_category,
            "reserve": distribution.reserve,
        },
        "labour_immigrants": {
            "percent_of_labour_force": percent_text(distribution.immigrants_percent),
            "total": sum(r["labour_immigrants"] for r in region_list),
        },
        "regions": region_list,
        "versions": [*(_version_entry(d) for d in earlier), _version_entry(distribution)],
    }


def canonical_bytes(content: dict) -> bytes:
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decision_filename(content: dict, language: str = "ru") -> str:
    suffix = "" if language == "ru" else f"-{language}"
    return f"quota-{content['year']}-v{content['version']}{suffix}.pdf"


def decision_pdf_bytes(distribution: Distribution, content: dict, *, language: str = "ru") -> bytes:
    """The decision as a signed PDF in `language` (ru or kk), rendered from the published content."""
    with translation.override(language):
        pdf = render_pdf("allocation/publication/decision_pdf.html", decision_context(distribution, content))
        reason = _("Quota %(year)s, version %(number)s") % {"year": content["year"], "number": content["version"]}
    try:
        return sign_pdf(pdf, reason=reason)
    except SigningNotConfigured as exc:
        raise DomainError(_("The portal's signing key is not configured: the decision cannot be signed and "
                            "published. Tell the administrator.")) from exc


def attach_publication(distribution: Distribution) -> list[str]:
    """Set the canonical JSON, its hash and the signed decision PDF on `distribution` (being
    published inside the caller's transaction: number and published_at set); return the fields
    to save. The PDF file is written to the private media storage (never served directly)."""
    content = canonical_content(distribution)
    data = canonical_bytes(content)
    distribution.published_json = data.decode("utf-8")
    distribution.content_sha256 = sha256_hex(data)
    pdf = decision_pdf_bytes(distribution, content)
    distribution.decision_pdf.save(f"{distribution.content_sha256[:16]}-{decision_filename(content)}",
                                   ContentFile(pdf), save=False)
    return ["published_json", "content_sha256", "decision_pdf"]
