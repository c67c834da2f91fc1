"""Deadline sweeps: each app registers its sweeps (`register_sweep`, kept in the registry); the
beat task `core.deadline_sweep` runs them all.

A sweep selects what is due, claims each row with a conditional update, and lets one failure
not stop the rest. Deadlines themselves are enforced in services on the server clock, so a
sweep that does not run never lets a late action through.

Every run of every sweep is recorded as a SweepRun (started, finished, rows handled, the error),
whichever app registered it: the Ministry's operations page lists them.
"""
from __future__ import annotations

import logging
import traceback

from django.utils import timezone

from .registry import register_sweep, sweeps

__all__ = ["register_sweep", "run_sweeps"]

log = logging.getLogger(__name__)


def run_sweeps() -> dict:
    """Run every registered sweep, in the registry's order: {name: rows handled, or "error"}."""
    from .models import SweepRun

    results = {}
    for sweep in sweeps():
        # Recorded before it runs, so that a run killed midway shows as started and never finished.
        run = SweepRun.objects.create(sweep=sweep.key, started_at=timezone.now())
        try:
            handled = sweep.run()
        except Exception as exc:  # noqa: BLE001 - one failing sweep must not stop the others
            log.exception("sweep %s failed", sweep.key)
            results[sweep.key] = "error"
            error = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            SweepRun.objects.filter(pk=run.pk).update(finished_at=timezone.now(), error=error[:4000])
            continue
        results[sweep.key] = handled
        SweepRun.objects.filter(pk=run.pk).update(
            finished_at=timezone.now(), handled=handled if isinstance(handled, int) else None)
    return results
