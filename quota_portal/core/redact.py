"""Keep the secrets of emailed links out of logs and audit records.

The confirmation, invitation and password-reset links carry their token in the path. The views
take it from the URL once, keep it in the session and redirect to a token-less URL, so the token
appears in one request line only; `redact()` removes it from that line wherever it is written
(runserver's and gunicorn's access logs, django.request, the audit context's URL).
"""
from __future__ import annotations

import logging
import re

# The path prefixes are those of quota_portal/core/accounts_urls.py and core/urls.py; a test
# builds each link with reverse() and checks that it is redacted.
_TOKEN_IN_PATH = re.compile(
    r"(?P<keep>/accounts/(?:confirm|invitation)/)(?P<secret>[^/\s?#\"'<>]+)"
    r"|(?P<keep_reset>/accounts/reset/[^/\s?#\"'<>]+/)(?!set-password/)(?P<secret_reset>[^/\s?#\"'<>]+)"
)
REDACTED = "[redacted]"


def _replace(match: re.Match) -> str:
    return (match.group("keep") or match.group("keep_reset")) + REDACTED


def redact(text: str) -> str:
    """`text` with the token of every confirmation, invitation and reset link replaced."""
    if not isinstance(text, str) or "/accounts/" not in text:
        return text
    return _TOKEN_IN_PATH.sub(_replace, text)


class RedactTokens(logging.Filter):
    """A logging filter (on handlers and on gunicorn's loggers) that redacts the final message."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed record is left to the formatter to report
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True
