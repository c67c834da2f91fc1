"""Regional submissions to the Ministry (Rules p.12, p.14-17; Annexes 2-4): the akimat's services.

Every service is keyword-only, checks its actor first (`ensure_submission_officer`), owns its
transaction and records who acted (`audited`). Reads live in `submission_selectors.py`.
"""
from __future__ import annotations

from .models import CountryForecast, RegionalSubmission, SubmissionExclusion, SubmissionFile, SubmissionVersion


def submission_get_or_create(*, actor, campaign, region) -> RegionalSubmission:
    """The akimat's draft for `campaign` x `region`, created on first use (not audited as a change)."""
    raise NotImplementedError


def submission_update_covering(*, actor, submission: RegionalSubmission, covering_justification: str,
                               revision: int) -> RegionalSubmission:
    """Rules p.12: the region's covering justification of the generalized applications."""
    raise NotImplementedError


def submission_exclude(*, actor, submission: RegionalSubmission, application, reason: str) -> SubmissionExclusion:
    """Leave an application not yet decided out of Annex 2, with the officer's reason."""
    raise NotImplementedError


def submission_unexclude(*, actor, submission: RegionalSubmission, exclusion: SubmissionExclusion) -> None:
    raise NotImplementedError


def labour_immigrants_update(*, actor, submission: RegionalSubmission, data: dict, revision: int,
                             late_reason: str = "") -> RegionalSubmission:
    """Rules p.15-16: the three factors (figure + note each) and Annex 3 (columns 1-3). After the
    p.15 deadline the determination is accepted with a reason and shown as late."""
    raise NotImplementedError


def country_forecast_save(*, actor, submission: RegionalSubmission, country, data: dict) -> CountryForecast:
    """Rules p.17: the forecast under the treaty (figure + note) and Annex 4's row, for a country
    with a ratified treaty only."""
    raise NotImplementedError


def submission_send(*, actor, submission: RegionalSubmission, reason: str = "", late_reason: str = "",
                    revision: int | None = None) -> SubmissionVersion:
    """Rules p.12, p.16, p.17: one act sends the three annexes, freezing a new version. A version
    after the first needs a reason; after the submission deadline, a late reason."""
    raise NotImplementedError


def submission_file_request(*, actor, version: SubmissionVersion, annex: str, fmt: str,
                            language: str) -> SubmissionFile:
    """Queue (or return) the file of one annex of a version; written by a Celery task."""
    raise NotImplementedError


def submission_file_write(*, file_id: int) -> SubmissionFile:
    """Write the file (Celery task body): Annex 2 XLSX in write-only mode with progress."""
    raise NotImplementedError
