"""The fault tests' mail backend: each message marks that it is being sent, waits (a slow SMTP
server, so that the test can kill the worker in the middle), then is written as an .eml file."""
from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

from quota_portal.core.mailfiles import FileLineBackend


class SlowFileBackend(FileLineBackend):
    def send_messages(self, email_messages) -> int:
        delay = float(os.environ.get("QP_FAULT_MAIL_DELAY", "0"))
        sending = self.mail_dir / "sending"
        sending.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            (sending / f"{time.time_ns()}-{uuid.uuid4().hex[:6]}").write_text(message.extra_headers["Message-ID"])
            if delay:
                time.sleep(delay)
        return super().send_messages(email_messages)


def sent_message_ids(mail_dir: Path) -> list[str]:
    """The Message-ID of every mail written to `mail_dir`, one entry per file."""
    ids = []
    for path in sorted(Path(mail_dir).glob("*.eml")):
        for line in path.read_text(errors="replace").splitlines():
            if line.lower().startswith("message-id:"):
                ids.append(line.split(":", 1)[1].strip())
                break
    return ids
