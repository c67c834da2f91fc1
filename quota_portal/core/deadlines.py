"""Registry of deadline sweeps. Each app registers a function; the beat task runs them all.

A sweep selects what is due, claims each row with a conditional update, and lets one failure
not stop the rest. Deadlines themselves are enforced in services on the server clock, so a
sweep that does not run never lets a late action through.
"""
from __future__ import annotations

import logging
from typing import Callable

log = logging.getLogger(__name__)
_SWEEPS: dict[str, Callable[[], int]] = {}


def register_sweep(name: str):
    def decorator(func: Callable[[], int]):
        _SWEEPS[name] = func
        return func

    return decorator


def run_sweeps() -> dict:
    results = {}
    for name, func in _SWEEPS.items():
        try:
            results[name] = func()
        except Exception:  # noqa: BLE001 - one failing sweep must not stop the others
            log.exception("sweep %s failed", name)
            results[name] = "error"
    return results
