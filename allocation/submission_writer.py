"""Writing the files of a submission version (the Celery task's body)."""
from __future__ import annotations

import tempfile

from django.core.files import File
from django.utils import timezone, translation

from .models import Annex2Row, SubmissionFile
from .submission_exports import annex_pdf, write_annex_xlsx


def submission_file_write(*, file_id: int) -> SubmissionFile:
    """Write a queued file (the Celery task's body; runs in the system scope): the annex in its
    language, Annex 2's rows counted into `done_rows` as they are written, then kept with the
    version in private media. A failure is recorded on the row (the page offers to try again)."""
    claimed = SubmissionFile.objects.filter(pk=file_id, status=SubmissionFile.Status.PENDING).update(
        status=SubmissionFile.Status.RUNNING)
    file = SubmissionFile.objects.select_related("version__campaign", "version__region").get(pk=file_id)
    if not claimed:
        return file  # written (or being written) by another worker
    version = file.version
    total = Annex2Row.objects.filter(version=version).count() if file.annex == "2" else 1
    SubmissionFile.objects.filter(pk=file.pk).update(total_rows=total)

    def progress(done: int) -> None:
        SubmissionFile.objects.filter(pk=file.pk).update(done_rows=done)

    try:
        with translation.override(file.language), tempfile.TemporaryFile() as tmp:
            if file.format == "xlsx":
                write_annex_xlsx(tmp, version, file.annex, progress=progress)
            else:
                tmp.write(annex_pdf(version, file.annex))
            tmp.seek(0, 2)
            size = tmp.tell()
            tmp.seek(0)
            file.file.save(f"annex{file.annex}.{file.format}", File(tmp), save=False)
        SubmissionFile.objects.filter(pk=file.pk).update(
            file=file.file.name, size=size, status=SubmissionFile.Status.DONE, finished_at=timezone.now(),
            done_rows=total)
    except Exception as exc:  # recorded for the page; the task logs it
        SubmissionFile.objects.filter(pk=file.pk).update(status=SubmissionFile.Status.FAILED, error=str(exc)[:2000])
        raise
    file.refresh_from_db()
    return file
