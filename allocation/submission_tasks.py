"""Celery tasks of the regional submissions: thin, take ids, call one service."""
from __future__ import annotations

from celery import shared_task

from quota_portal.core.scoping import system_scope

from .submission_writer import submission_file_write


@shared_task(name="allocation.write_submission_file")
def write_submission_file(file_id: int) -> None:
    with system_scope():
        submission_file_write(file_id=file_id)
