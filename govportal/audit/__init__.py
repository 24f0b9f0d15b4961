"""Audit trail (审计日志): append-only, hash-chained records of who did what, from where.

Public API for every app::

    from govportal import audit

    audit.record("letter.accept", obj=letter, before={"status": "new"},
                 after={"status": "accepted"}, deadline="2026-03-01")

    with audit.acting_as(user):      # in commands and background work
        ...

See :func:`govportal.audit.services.record` and ``docs/architecture.md`` (Audit trail).
"""

from .context import acting_as


def record(action, **kwargs):
    """Append one audit record; see :func:`govportal.audit.services.record`."""
    from .services import record as _record

    return _record(action, **kwargs)


__all__ = ["acting_as", "record"]
