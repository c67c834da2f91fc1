"""Checking an attachment by its content, never by its name or the browser's word; the name,
size and zip checks are the ones every upload shares (quota_portal/core/uploads.py)."""
from __future__ import annotations

from dataclasses import dataclass

import filetype
from django.utils.translation import gettext as _

from quota_portal.core.errors import DomainError
from quota_portal.core.uploads import (
    DOCX,
    MAX_FILE_SIZE,
    XLSX,
    check_name,
    check_name_characters,
    check_size,
    check_zip,
    office_kind,
)

MAX_APPLICATION_SIZE = 50 * 1024 * 1024

ALLOWED = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    XLSX: "xlsx",
    DOCX: "docx",
}

__all__ = ["ALLOWED", "MAX_APPLICATION_SIZE", "MAX_FILE_SIZE", "CheckedFile", "check_name_characters", "check_upload"]


@dataclass
class CheckedFile:
    name: str
    content: bytes
    content_type: str


def check_upload(name: str, content: bytes) -> CheckedFile:
    """Validate an attachment: name, size (10 MB) and type by content (PDF/JPEG/PNG/XLSX/DOCX)."""
    name = check_name(name)
    check_size(name, content)
    kind = filetype.guess(content)
    mime = kind.mime if kind else ""
    if mime == "application/zip" or content[:4] == b"PK\x03\x04":
        mime = office_kind(check_zip(content)) or ""
    if mime not in ALLOWED:
        raise DomainError(
            _("The file “%(name)s” is not a PDF, JPEG, PNG, XLSX or DOCX document by its content; "
              "upload one of these types.") % {"name": name}, field="file", code="bad_type")
    return CheckedFile(name=name, content=content, content_type=mime)
