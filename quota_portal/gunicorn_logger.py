"""gunicorn's logger with the tokens of emailed links redacted (`--logger-class` in the Dockerfile).

gunicorn configures its access and error logs itself, outside Django's LOGGING, so the filter
that redacts Django's log lines is added here to gunicorn's two loggers.
"""
from __future__ import annotations

from gunicorn.glogging import Logger

from quota_portal.core.redact import RedactTokens


class RedactingLogger(Logger):
    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            if not any(isinstance(f, RedactTokens) for f in log.filters):
                log.addFilter(RedactTokens())
