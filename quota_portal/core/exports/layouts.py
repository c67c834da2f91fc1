"""How a table sits on its XLSX sheet: a plain table, an import template, or a legal form.

A layout writes what goes above the exporter's rows (`write_head`) and below them
(`write_tail`) through a `SheetWriter`; the renderer streams the rows in between. Texts come
translated: the caller activates the reader's language (Russian or Kazakh) before rendering.

Merged cells work in openpyxl's write-only mode: the sheet collects the ranges in
`ws.merged_cells` and writes them after the rows (read a file back with openpyxl and
`ws.merged_cells.ranges` lists them; tests/core/test_exports.py does). The cells a merged range
covers are written as empty styled cells, so that its borders show.
"""
from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl.utils import get_column_letter

from .base import Exporter
from .sheet import SheetWriter

LINE_HEIGHT = 15.0  # points per line of 11-point text


def text_height(text: str, width: float, *, size: float = 11) -> float:
    """The height (points) of a row whose cell `width` characters wide wraps `text`: spreadsheet
    programs do not grow a row for a merged cell, so the layout sets it."""
    per_line = max(1, int(width * 11 / size))
    lines = sum(max(1, len(textwrap.wrap(part, per_line))) for part in str(text).split("\n"))
    return round(lines * LINE_HEIGHT * size / 11 + 2, 1)


class TableLayout:
    """A header row (two when columns have groups), the rows, the totals; the header frozen.

    `bordered` draws the form's grid and wraps the cells (each row as tall as its text), for a
    sheet that is printed rather than filtered. `key_row` adds a row of the columns' keys under
    the header: an import template's parser
    finds its columns by it, whatever language the header is in. `freeze_columns` keeps the
    first columns in view too. `autofilter` puts Excel's filter buttons on the header.
    """

    bordered = False

    def __init__(self, *, key_row: bool = False, freeze_columns: int = 0, autofilter: bool = True,
                 header_height: float | None = None, landscape: bool | None = None,
                 bordered: bool | None = None):
        if bordered is not None:  # a printable table: borders, wrapped cells, rows as tall as their text
            self.bordered = bordered
        self.key_row = key_row
        self.freeze_columns = freeze_columns
        self.autofilter = autofilter
        self.header_height = header_height
        self.landscape = landscape

    def setup(self, sheet: SheetWriter, exporter: Exporter) -> None:
        """Printing: A4, as wide as the page (landscape when the columns are wider than a
        portrait page, unless `landscape` says), the header repeated on every page."""
        sheet.freeze_columns = self.freeze_columns
        ws = sheet.ws
        landscape = self.landscape
        if landscape is None:
            landscape = sum(c.width or 12 for c in sheet.columns) > 100
        ws.page_setup.orientation = "landscape" if landscape else "portrait"
        ws.page_setup.paperSize = "9"  # A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True

    def write_head(self, sheet: SheetWriter, exporter: Exporter) -> None:
        write_header(sheet, style="header" if self.bordered else "plain_header", height=self.header_height)
        if self.key_row:
            sheet.append([sheet.cell(c.key, "plain") for c in sheet.columns])
        sheet.freeze_row = sheet.last_row

    def write_tail(self, sheet: SheetWriter, exporter: Exporter) -> None:
        if self.autofilter and sheet.header_rows:
            last = get_column_letter(sheet.width)
            # The header and the data, not the totals: sorting must not move the totals row.
            end = max(sheet.last_data_row, sheet.header_rows[1])
            sheet.ws.auto_filter.ref = f"A{sheet.header_rows[1]}:{last}{end}"


def write_header(sheet: SheetWriter, *, style: str = "header", numbered: bool = False,
                 height: float | None = None) -> None:
    """The column headers: a column with a `group` sits under its group's merged cell, one
    without spans both header rows; with `numbered`, a row of the columns' numbers (1..N, or
    each column's `number`) follows, as the legal forms print it."""
    columns = sheet.columns
    first = sheet.last_row + 1
    widths = [c.width or sheet.ws.column_dimensions[get_column_letter(i)].width
              for i, c in enumerate(columns, start=1)]

    def tall(texts_widths) -> float:
        # Bold header text is wider than the body text the estimate is made for.
        return height or max([text_height(str(t), (w - 1) * 0.85) for t, w in texts_widths] + [LINE_HEIGHT])

    if any(c.group for c in columns):
        top, bottom, top_texts, bottom_texts = [], [], [], []
        i = 0
        while i < len(columns):
            column = columns[i]
            if column.group is None:
                top.append(sheet.cell(column.header, style))
                bottom.append(sheet.cell(None, style))
                sheet.merge(first, i + 1, first + 1, i + 1)
                bottom_texts.append((column.header, widths[i]))
                i += 1
                continue
            j = i
            while j + 1 < len(columns) and columns[j + 1].group is not None \
                    and str(columns[j + 1].group) == str(column.group):
                j += 1
            top.append(sheet.cell(column.group, style))
            top.extend(sheet.cell(None, style) for _ in range(j - i))
            bottom.extend(sheet.cell(columns[k].header, style) for k in range(i, j + 1))
            bottom_texts.extend((columns[k].header, widths[k]) for k in range(i, j + 1))
            top_texts.append((column.group, sum(widths[i:j + 1])))
            sheet.merge(first, i + 1, first, j + 1)
            i = j + 1
        sheet.append(top, height=tall(top_texts))
        sheet.append(bottom, height=tall(bottom_texts))
    else:
        sheet.append([sheet.cell(c.header, style) for c in columns],
                     height=tall([(c.header, w) for c, w in zip(columns, widths, strict=False)]))
    if numbered:
        sheet.append([sheet.cell(c.number or i, "numbers", kind="int") for i, c in enumerate(columns, start=1)])
    sheet.header_rows = (first, sheet.last_row)


@dataclass(frozen=True)
class Filled:
    """A filled-in line of a form: the value on the line, the form's caption under it
    ("(full name of the legal entity ...)")."""

    value: str
    caption: str = ""


@dataclass(frozen=True)
class Paragraph:
    """Text across the whole width of the sheet, under the table."""

    text: str
    bold: bool = False


class LegalFormLayout(TableLayout):
    """A form of the Rules' annexes, as the seed prints it.

    From the top: the annex label at the right ("Annex 2 / to the Rules ... / Form"), the
    addressee and the sender (each a string, or a `Filled` line with the form's caption under
    it), the form's title across the width, the merged header (columns' `group`s), the row of
    column numbers, the data rows and the totals, then `after` (paragraphs or `Filled` lines:
    the justification, the projects) and the `signature_block` (a row of `Filled` parts: the
    position, the signature, the full name) with `signature_note` under it (the seal).
    """

    bordered = True

    def __init__(self, *, title: str, annex_label: Sequence[str] = (), addressee_lines: Sequence = (),
                 sender_lines: Sequence = (), numbered_header_row: bool = True, after: Sequence = (),
                 signature_block: Sequence[Filled] | None = None, signature_note: str = "",
                 landscape: bool = True):
        super().__init__(autofilter=False, landscape=landscape)
        self.title = title
        self.annex_label = list(annex_label)
        self.addressee_lines = list(addressee_lines)
        self.sender_lines = list(sender_lines)
        self.numbered = numbered_header_row
        self.after = list(after)
        self.signature_block = list(signature_block or [])
        self.signature_note = signature_note

    def _widths(self, sheet: SheetWriter) -> list[float]:
        return [sheet.ws.column_dimensions[get_column_letter(i)].width or 10 for i in range(1, sheet.width + 1)]

    def _right_block(self, sheet: SheetWriter, entries: Sequence) -> None:
        """Lines at the right half of the sheet, as the form sets the annex label, the addressee
        and the sender."""
        widths = self._widths(sheet)
        first_col = sheet.width - math.ceil(sheet.width / 2) + 1
        width = sum(widths[first_col - 1:])
        lead = [None] * (first_col - 1)
        for entry in entries:
            if isinstance(entry, Filled):
                parts = [(entry.value, "filled", 11)] + ([(entry.caption, "caption", 8)] if entry.caption else [])
            elif isinstance(entry, Paragraph):
                parts = [(entry.text, "bold" if entry.bold else "right", 11)]
            else:
                parts = [(entry, "right", 11)]
            for text, style, size in parts:
                row = sheet.append(lead + [sheet.cell(text, style)]
                                   + [sheet.cell(None, style) for _ in range(sheet.width - first_col)],
                                   height=text_height(text, width - 2, size=size))
                sheet.merge(row, first_col, row, sheet.width)

    def _across(self, sheet: SheetWriter, text: str, style: str, *, size: float = 11) -> None:
        width = sum(self._widths(sheet))
        row = sheet.append([sheet.cell(text, style)], height=text_height(text, width - 2, size=size))
        sheet.merge(row, 1, row, sheet.width)

    def write_head(self, sheet: SheetWriter, exporter: Exporter) -> None:
        if self.annex_label:
            self._right_block(sheet, self.annex_label)
            sheet.blank()
        if self.addressee_lines or self.sender_lines:
            self._right_block(sheet, [*self.addressee_lines, *self.sender_lines])
            sheet.blank()
        self._across(sheet, self.title, "title", size=12)
        sheet.blank()
        write_header(sheet, style="header", numbered=self.numbered)
        sheet.freeze_row = sheet.last_row

    def write_tail(self, sheet: SheetWriter, exporter: Exporter) -> None:
        if self.after:
            sheet.blank()
        for entry in self.after:
            if isinstance(entry, Paragraph):
                self._across(sheet, entry.text, "bold" if entry.bold else "wrap")
            else:
                self._across(sheet, str(entry), "wrap")
        if self.signature_block:
            sheet.blank()
            self._signature(sheet)
        if self.signature_note:
            self._across(sheet, self.signature_note, "caption", size=8)

    def _signature(self, sheet: SheetWriter) -> None:
        """The signer's parts side by side, each over its caption, the columns shared out."""
        parts = self.signature_block
        n, k = sheet.width, len(parts)
        spans = [n // k + (1 if i < n % k else 0) for i in range(k)]
        widths = self._widths(sheet)
        values, captions, heights, caption_heights, col = [], [], [], [], 1
        for part, span in zip(parts, spans, strict=False):
            width = sum(widths[col - 1:col - 1 + span])
            values += [sheet.cell(part.value, "filled")] + [sheet.cell(None, "filled") for _ in range(span - 1)]
            captions += [sheet.cell(part.caption, "caption")] + [None] * (span - 1)
            heights.append(text_height(part.value, width - 2))
            caption_heights.append(text_height(part.caption, width - 2, size=8))
            col += span
        value_row = sheet.append(values, height=max(heights + [LINE_HEIGHT * 2]))
        caption_row = sheet.append(captions, height=max(caption_heights))
        col = 1
        for span in spans:
            sheet.merge(value_row, col, value_row, col + span - 1)
            sheet.merge(caption_row, col, caption_row, col + span - 1)
            col += span
