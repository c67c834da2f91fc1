"""The JSON Schema (draft 2020-12) of the published quota (allocation/publication_services.py),
served at /public/quota/schema.json. The sums the contract states (categories over regions,
total = categories + reserve, a region's total) are not expressible in JSON Schema: they are
stated in the descriptions and checked by the tests."""
from __future__ import annotations

COUNT = {"type": "integer", "minimum": 0}
PERCENT = {"type": "string", "pattern": r"^(100|[0-9]{1,2})(\.[0-9]+)?$",
           "description": "A percentage of the labour force as a decimal string, e.g. \"0.25\"."}
DATETIME = {"type": "string", "format": "date-time",
            "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2}$",
            "description": "ISO 8601 with the UTC offset (Asia/Almaty time)."}
CATEGORIES = ("1", "2", "3", "4", "seasonal")


def _object(properties: dict, description: str = "") -> dict:
    schema = {"type": "object", "properties": properties, "required": list(properties),
              "additionalProperties": False}
    if description:
        schema["description"] = description
    return schema


SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "/public/quota/schema.json",
    "title": "Quota for attracting foreign labour to the Republic of Kazakhstan and its distribution",
    "description": "One published version of a year's quota (Rules p.4, p.19-21). Published data never "
                   "changes; a redistribution publishes the next version. The files .csv, .xlsx and .pdf "
                   "of the same version carry the same numbers.",
    **_object({
        "year": {"type": "integer", "minimum": 2000, "maximum": 2100, "description": "The quota year."},
        "version": {"type": "integer", "minimum": 1, "description": "1 for the first distribution, then one more "
                                                                   "per redistribution."},
        "published_at": DATETIME,
        "labour_force": {**COUNT, "description": "The labour force (persons) the percentages are of."},
        "permits": _object({
            "percent_of_labour_force": PERCENT,
            "total": {**COUNT, "description": "The sum of by_category plus reserve."},
            "by_category": _object(dict.fromkeys(CATEGORIES, COUNT),
                                   "Each: the sum over regions of the region's permits in the category."),
            "reserve": {**COUNT, "description": "Held back nationally, not distributed to a region."},
        }, "Permits issued by local executive bodies (Rules p.4(1))."),
        "labour_immigrants": _object({
            "percent_of_labour_force": PERCENT,
            "total": {**COUNT, "description": "The sum over regions of labour_immigrants."},
        }, "Labour immigrants (Rules p.4(3))."),
        "regions": {"type": "array", "items": _object({
            "code": {"type": "string", "pattern": r"^\d{9}$", "description": "KATO code of the region."},
            "name": _object({lang: {"type": "string", "minLength": 1} for lang in ("kk", "ru", "en")}),
            "permits": _object({**dict.fromkeys(CATEGORIES, COUNT),
                                "total": {**COUNT, "description": "The sum of the region's categories."}}),
            "labour_immigrants": COUNT,
            "countries": {"type": "object", "description": "Countries of origin under ratified treaties "
                                                           "(Rules p.4(2)): ISO 3166-1 alpha-2 -> count.",
                          "propertyNames": {"pattern": "^[A-Z]{2}$"}, "additionalProperties": COUNT},
        })},
        "versions": {"type": "array", "minItems": 1, "description": "Every published version up to this one, "
                                                                    "oldest first.",
                     "items": _object({"version": {"type": "integer", "minimum": 1}, "published_at": DATETIME,
                                       "reason": {"type": "string"}})},
    }),
}
