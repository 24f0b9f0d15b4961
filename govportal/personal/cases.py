"""Registry of case types (办件类型) shown in 我的办件 and found by the tracking-code lookup.

Each feature that takes cases from the public (依申请公开, 来信, 投诉, 网上办事 …) registers
its type once, in its ``apps.py`` ``ready()``::

    from govportal.personal.cases import CaseType, CaseSummary, register_case_type

    class DisclosureCases(CaseType):
        key = "disclosure"
        label = "政府信息公开申请"
        verification_label = "申请时填写的手机号码后4位"

        def cases_for(self, user):
            for request in DisclosureRequest.objects.filter(applicant_user=user):
                yield request.as_case_summary()

        def lookup(self, tracking_code, verification):
            ...  # return a CaseSummary only when both match, else None

    register_case_type(DisclosureCases())

``lookup`` must answer ``None`` alike for an unknown code and for a wrong verification
(no enumeration); the tracking page masks the personal data it shows.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime


@dataclass(frozen=True)
class CaseSummary:
    """One case as the personal centre and the tracking page show it."""

    kind: str  # the case type's label, e.g. "政府信息公开申请"
    title: str
    tracking_code: str
    status: str  # status label, e.g. "办理中"
    is_open: bool
    submitted_at: datetime
    updated_at: datetime
    url: str = ""  # the applicant's own detail page (login required), if any
    due_date: date | None = None
    # Shown masked on the tracking page (姓名 → 张*, 电话 → 138****8000).
    applicant_name: str = ""
    contact_phone: str = ""
    # Progress for the tracking page: (time, text) pairs, oldest first, no personal data.
    steps: Sequence[tuple[datetime, str]] = field(default_factory=tuple)
    kind_key: str = ""  # filled in by the registry


class CaseType:
    """Base class (or protocol) of a case type; override the three members and two methods."""

    key: str = ""
    label: str = ""
    # What the tracking page asks besides the code, e.g. "申请人手机号码后4位".
    verification_label: str = "验证信息"

    def cases_for(self, user) -> Iterable[CaseSummary]:  # pragma: no cover - interface
        return ()

    def lookup(self, tracking_code: str, verification: str) -> CaseSummary | None:
        return None  # pragma: no cover - interface


_REGISTRY: dict[str, CaseType] = {}


def register_case_type(case_type: CaseType) -> CaseType:
    """Add a case type (again with the same key replaces it). Returns it, for decorators."""
    if not case_type.key or not case_type.label:
        raise ValueError("a case type needs a key and a label")
    _REGISTRY[case_type.key] = case_type
    return case_type


def unregister_case_type(key: str) -> None:
    _REGISTRY.pop(key, None)


def case_types() -> list[CaseType]:
    return list(_REGISTRY.values())


def get_case_type(key: str) -> CaseType | None:
    return _REGISTRY.get(key)


def _with_key(summary: CaseSummary, key: str) -> CaseSummary:
    if summary.kind_key == key:
        return summary
    return replace(summary, kind_key=key)


def cases_for(user, *, kind: str = "", state: str = "") -> list[CaseSummary]:
    """Every registered kind's cases of ``user`` merged, newest update first.

    ``kind`` keeps one case type (its key); ``state`` is ``"open"``, ``"closed"`` or empty.
    """
    if user is None or not user.is_authenticated:
        return []
    found: list[CaseSummary] = []
    for case_type in case_types():
        if kind and case_type.key != kind:
            continue
        for summary in case_type.cases_for(user) or ():
            if state == "open" and not summary.is_open:
                continue
            if state == "closed" and summary.is_open:
                continue
            found.append(_with_key(summary, case_type.key))
    found.sort(key=lambda s: (s.updated_at, s.submitted_at, s.tracking_code), reverse=True)
    return found


def normalise_code(value: str) -> str:
    return "".join(str(value or "").split()).upper()


def lookup(tracking_code: str, verification: str) -> CaseSummary | None:
    """The case with this tracking code whose verification matches, from any registered type."""
    code = normalise_code(tracking_code)
    answer = " ".join(str(verification or "").split())
    if not code or not answer:
        return None
    for case_type in case_types():
        summary = case_type.lookup(code, answer)
        if summary is not None:
            return _with_key(summary, case_type.key)
    return None
