"""Garbage-collector tuning for long-running server processes.

A Django + Wagtail worker holds a few hundred thousand long-lived objects after start-up
(modules, models, templates, URL resolvers, the Wagtail registries). CPython's cyclic
collector scans all of them again on every full (generation 2) collection, and a large
admin page — the page explorer lists 50–100 pages with their permissions — allocates
enough objects to trigger one or more full collections per request: tens of
milliseconds each, which is what lifted the explorer's p95 above its median in
``benchmarks/admin_scale.py``.

:func:`freeze_startup_objects` moves everything alive after start-up into the permanent
generation (``gc.freeze()``, Python ≥ 3.7), so later collections only look at objects
made by requests, and raises the first-generation threshold so that a single request
triggers fewer collections. Reference counting still frees almost everything at once;
only cycles wait a little longer. gunicorn calls it in every worker after the
application is loaded (``gunicorn.conf.py``); the admin benchmark calls it too, so its
figures are the production configuration's.
"""

from __future__ import annotations

import gc
import os

# CPython's default is (700, 10, 10). A request of the explorer allocates ~10^5 objects;
# with 50,000 the young generation is still collected several times a second under load.
DEFAULT_THRESHOLD0 = 50_000


def freeze_startup_objects(threshold0: int | None = None) -> dict[str, int]:
    """Collect once, freeze what survives, raise the young-generation threshold.

    Returns figures for logging: objects frozen and the thresholds now in force.
    ``GOVPORTAL_GC_THRESHOLD0`` overrides the threshold; ``GOVPORTAL_GC_TUNING=0`` turns
    the whole tuning off (CPython's defaults).
    """
    if os.environ.get("GOVPORTAL_GC_TUNING", "1") == "0":
        return {"frozen": 0, "threshold0": gc.get_threshold()[0]}
    if threshold0 is None:
        threshold0 = int(os.environ.get("GOVPORTAL_GC_THRESHOLD0", DEFAULT_THRESHOLD0))
    gc.collect()
    gc.freeze()
    _, threshold1, threshold2 = gc.get_threshold()
    gc.set_threshold(threshold0, threshold1, threshold2)
    return {"frozen": gc.get_freeze_count(), "threshold0": threshold0}


def restore_defaults() -> None:
    """Undo :func:`freeze_startup_objects` (for comparisons in one process)."""
    gc.unfreeze()
    gc.set_threshold(700, 10, 10)
