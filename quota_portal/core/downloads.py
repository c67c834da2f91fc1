"""Every file the portal sends goes out through `attachment_response()`, named by `safe_filename()`.

A download's name comes partly from what users typed (an attachment's original name). Invisible
and direction characters (U+202E RIGHT-TO-LEFT OVERRIDE makes "invoice\u202efdp.exe" show as
"invoiceexe.pdf"), control characters, path separators and quotes are removed or replaced, the
extension is the one the content really has, and the header is built per RFC 6266 (an ASCII
`filename` and the full UTF-8 `filename*`).
"""
from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from django.http import FileResponse, HttpResponse

# Control (Cc), format (Cf: bidi overrides and isolates U+202A-202E, U+2066-2069, marks U+200E/F,
# zero-width characters), surrogates, private use, unassigned, line and paragraph separators.
UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
# Path separators, quotes and the characters Windows refuses in file names.
_REPLACED = re.compile(r"[/\\\"'<>:|?*]")
_EXTENSION = re.compile(r"^[A-Za-z0-9]{1,8}$")
MAX_STEM = 120


def unsafe_characters(name: str) -> list[str]:
    """The invisible, control and direction characters in `name` (as U+XXXX), in order."""
    return [f"U+{ord(ch):04X}" for ch in name if unicodedata.category(ch) in UNSAFE_CATEGORIES]


def safe_filename(name: str, *, extension: str | None = None, default: str = "download") -> str:
    """`name` made safe to offer as a download.

    `extension` (without the dot), when given, is the type the content really has: it replaces
    any other extension, so that "contract.pdf.exe" with PDF content is offered as a .pdf.
    """
    name = unicodedata.normalize("NFC", name or "")
    name = "".join(ch for ch in name if unicodedata.category(ch) not in UNSAFE_CATEGORIES)
    name = _REPLACED.sub("_", name)
    name = " ".join(name.split()).strip(" .")
    stem, dot, ext = name.rpartition(".")
    if not dot or not _EXTENSION.match(ext):
        stem, ext = name, ""
    if extension is not None:
        # The content's own type wins: "photo.jpeg" of JPEG content -> "photo.jpg", "run.exe" -> "run.pdf".
        ext = extension
    ext = ext.lower()
    stem = stem.strip(" .")[:MAX_STEM].strip(" .") or default
    return f"{stem}.{ext}" if ext else stem


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """The Content-Disposition header for `filename` (already safe): RFC 6266, both forms."""
    fallback = "".join(ch if 32 <= ord(ch) < 127 else "_" for ch in filename)
    return "{}; filename=\"{}\"; filename*=UTF-8''{}".format(
        "inline" if inline else "attachment", fallback, quote(filename, safe=""))


def attachment_response(content, *, filename: str, content_type: str, extension: str | None = None,
                        inline: bool = False) -> HttpResponse:
    """A download of `content` (bytes, or an open binary file), never cached by the browser.

    `inline` lets the browser show it (a PDF) instead of saving it; the name is made safe here.
    """
    if isinstance(content, (bytes, bytearray)):
        response = HttpResponse(content, content_type=content_type)
    else:
        response = FileResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(safe_filename(filename, extension=extension),
                                                          inline=inline)
    response["Cache-Control"] = "no-store"
    response["Pragma"] = "no-cache"
    return response
