"""The export layer: exporters yield rows, renderers write XLSX, CSV and JSON, layouts shape forms.

An exporter declares its columns and yields its rows; it never builds a file. Every XLSX, CSV
and JSON the portal offers is one exporter through one renderer, so the formula guard, numbers
as numbers and bounded memory hold for all of them:

    from quota_portal.core.exports import Column, Exporter, render_xlsx, render_csv

    class OrganizationsExporter(Exporter):
        identifier = "organizations"

        def __init__(self, region):
            self.region = region

        def title(self):
            return _("Employers")

        def columns(self):
            return [Column("name", _("Name"), width=40), Column("bin", _("BIN/IIN")),
                    Column("workers", _("Requested"), "int")]

        def rows(self):  # a generator: rows are written as they come, never all held
            for org in Organization.objects.filter(region=self.region).iterator():
                yield [org.name, org.bin_iin, org.requested]

    render_xlsx(OrganizationsExporter(region))    # bytes; `write_xlsx(path, ...)` for a task
    render_csv(...), render_json(...)             # `iter_csv` streams a StreamingHttpResponse

A legal form is the same exporter with a layout: `render_xlsx(exporter, LegalFormLayout(
title=..., annex_label=[...], addressee_lines=[Filled(value, caption)], ...))` writes the
annex label, the addressee and sender, the title, the merged header (each column's `group`),
the numbered header row (each column's `number`), the rows and the totals, then the
justification and the signature block. Further sheets of one workbook: `sheets=[other, ...]`.

Rules the renderers enforce: text is neutralised against formula injection (`safety.py`);
a number column's data cell takes a number or nothing (text there raises `TypeError`);
CSV and JSON carry the data rows without the totals row.
"""
from .base import KINDS, Column, Exporter
from .layouts import Filled, LegalFormLayout, Paragraph, TableLayout
from .renderers import (
    CSV_CONTENT_TYPE,
    JSON_CONTENT_TYPE,
    RENDERERS,
    XLSX_CONTENT_TYPE,
    iter_csv,
    iter_json,
    render,
    render_csv,
    render_json,
    render_xlsx,
    write_xlsx,
)
from .safety import FORMULA_PREFIXES, cell_row, cell_text, csv_text, is_formula_like, workbook_bytes


def export_response(fmt: str, exporter: Exporter, layout=None, *, sheets=()):
    """A download of the exporter in `fmt` through `attachment_response` (no-store, a safe name)."""
    from quota_portal.core.downloads import attachment_response

    content, content_type = render(fmt, exporter, layout, sheets=sheets)
    return attachment_response(content, filename=exporter.filename(fmt), content_type=content_type,
                               extension=fmt)

__all__ = [
    "CSV_CONTENT_TYPE", "FORMULA_PREFIXES", "JSON_CONTENT_TYPE", "KINDS", "RENDERERS", "XLSX_CONTENT_TYPE",
    "Column", "Exporter", "Filled", "LegalFormLayout", "Paragraph", "TableLayout", "cell_row", "cell_text",
    "csv_text", "export_response", "is_formula_like", "iter_csv", "iter_json", "render", "render_csv",
    "render_json", "render_xlsx", "workbook_bytes", "write_xlsx",
]
