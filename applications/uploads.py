"""Checking uploaded files by their content, never by their name or the browser's word."""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import filetype
from django.utils.translation import gettext as _

from quota_portal.core.downloads import safe_filename, unsafe_characters
from quota_portal.core.errors import DomainError

MAX_FILE_SIZE = 10 * 1024 * 1024
MAX_APPLICATION_SIZE = 50 * 1024 * 1024
# An Office file unpacks to a few times its size; a bomb unpacks to thousands of times.
MAX_UNCOMPRESSED = 100 * 1024 * 1024
MAX_RATIO = 100

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ALLOWED = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    XLSX: "xlsx",
    DOCX: "docx",
}


@dataclass
class CheckedFile:
    name: str
    content: bytes
    content_type: str


def check_name_characters(name: str) -> None:
    """Refuse a name with invisible, control or direction characters: U+202E RIGHT-TO-LEFT OVERRIDE
    shows "invoice\u202efdp.exe" as "invoiceexe.pdf" to whoever downloads it."""
    found = unsafe_characters(name or "")
    if found:
        raise DomainError(
            _("The file name “%(name)s” contains invisible or text-direction characters (%(chars)s); "
              "rename the file and upload it again.")
            % {"name": safe_filename(name)[:100], "chars": ", ".join(dict.fromkeys(found))},
            field="file", code="bad_name")


def check_name(name: str) -> str:
    """The file's own name; refuse anything that looks like a path or hides characters."""
    if not name or "/" in name or "\\" in name or ".." in name or "\x00" in name:
        raise DomainError(
            _("The file name “%(name)s” contains a path or “..”; rename the file and upload it again.")
            % {"name": name[:100]}, field="file", code="bad_name")
    check_name_characters(name)
    return name[:200]


def check_zip(content: bytes, *, field: str = "file") -> zipfile.ZipFile:
    """Open an Office (OOXML) file safely: a real zip, with [Content_Types].xml, and no bomb."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise DomainError(_("The file is damaged: it is not a valid Office document."), field=field,
                          code="bad_zip") from None
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names:
        raise DomainError(_("The file is not an Office document (XLSX or DOCX): its structure is wrong."),
                          field=field, code="bad_zip")
    total = sum(i.file_size for i in infos)
    compressed = sum(i.compress_size for i in infos) or 1
    if total > MAX_UNCOMPRESSED or total / compressed > MAX_RATIO:
        raise DomainError(_("The file unpacks to an abnormal size (a “zip bomb”); it was refused."),
                          field=field, code="zip_bomb")
    return archive


def office_kind(archive: zipfile.ZipFile) -> str | None:
    names = set(archive.namelist())
    if "xl/workbook.xml" in names:
        return XLSX
    if "word/document.xml" in names:
        return DOCX
    return None


def check_upload(name: str, content: bytes) -> CheckedFile:
    """Validate an attachment: name, size (10 MB) and type by content (PDF/JPEG/PNG/XLSX/DOCX)."""
    name = check_name(name)
    if len(content) > MAX_FILE_SIZE:
        raise DomainError(
            _("The file “%(name)s” is %(size)s MB; the limit is 10 MB per file.")
            % {"name": name, "size": round(len(content) / 1024 / 1024, 1)}, field="file", code="too_big")
    if not content:
        raise DomainError(_("The file “%(name)s” is empty.") % {"name": name}, field="file", code="empty")
    kind = filetype.guess(content)
    mime = kind.mime if kind else ""
    if mime == "application/zip" or content[:4] == b"PK\x03\x04":
        mime = office_kind(check_zip(content)) or ""
    if mime not in ALLOWED:
        raise DomainError(
            _("The file “%(name)s” is not a PDF, JPEG, PNG, XLSX or DOCX document by its content; "
              "upload one of these types.") % {"name": name}, field="file", code="bad_type")
    return CheckedFile(name=name, content=content, content_type=mime)
