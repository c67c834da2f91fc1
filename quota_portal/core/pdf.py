"""PDF documents: a pure function of a template and its context (WeasyPrint).

The caller activates the reader's language (`translation.override`) before calling.
"""
from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string


def render_pdf(template: str, context: dict) -> bytes:
    """Render `template` (extending pdf/base.html) with `context` to PDF bytes."""
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
