"""Deadline sweeps: each app registers its sweeps (`register_sweep`, kept in the registry); the
beat task `core.deadline_sweep` runs them all.

A sweep selects what is due, claims each row with a conditional update, and lets one failure
not stop the rest. Deadlines themselves are enforced in services on the server clock, so a
sweep that does not run never lets a late action through.
"""
from __future__ import annotations

import logging

from .registry import register_sweep, sweeps

__all__ = ["register_sweep", "run_sweeps"]

log = logging.getLogger(__name__)


def run_sweeps() -> dict:
    """Run every registered sweep, in the registry's order: {name: rows handled, or "error"}."""
    results = {}
    for sweep in sweeps():
        try:
            results[sweep.key] = sweep.run()
        except Exception:  # noqa: BLE001 - one failing sweep must not stop the others
            log.exception("sweep %s failed", sweep.key)
            results[sweep.key] = "error"
    return results
