"""The development mail backend (`make run`): each mail is written to a file, one line is printed.

Django's console backend prints every mail whole, PDF attachments in base64 included, and floods
the terminal of `make run`. This one writes each message as an .eml file under MAIL_DIR
(var/mail/ by default), which any mail client opens, and prints "to, subject, file" on one line.
"""
from __future__ import annotations

import sys
import threading
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend


class FileLineBackend(BaseEmailBackend):
    def __init__(self, *, mail_dir: str | Path | None = None, stream=None, **kwargs):
        super().__init__(**kwargs)
        self.mail_dir = Path(mail_dir or getattr(settings, "MAIL_DIR", Path(settings.BASE_DIR) / "var" / "mail"))
        self.stream = stream or sys.stdout
        self._lock = threading.Lock()

    def send_messages(self, email_messages) -> int:
        if not email_messages:
            return 0
        self.mail_dir.mkdir(parents=True, exist_ok=True)
        sent = 0
        with self._lock:
            for message in email_messages:
                # Sortable by time of sending (a file name, not a date shown to anyone).
                name = f"{time.time_ns() // 1_000_000}-{uuid.uuid4().hex[:8]}.eml"
                path = self.mail_dir / name
                path.write_bytes(message.message().as_bytes(linesep="\n"))
                recipients = ", ".join(message.recipients())
                subject = " ".join(str(message.subject).split())
                self.stream.write(f"mail to {recipients}: {subject} -> {path}\n")
                self.stream.flush()
                sent += 1
        return sent
