"""Records with a state (信息报送, 资源, 资源推送): their open state and the admin's status badge.

Plain mixins for models with a ``status`` choices field; they add no database fields. A
template shows the badge with ``{% include "siteadmin/_status_badge.html" %}`` (the
record in ``item``).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class StatusBadge:
    status: str
    label: str
    variant: str = ""  # Wagtail's w-status modifier: "primary" (good), "label" (refused) or none


class StatusBadgeMixin:
    """``status_badge``: the status, its label and the colour it is shown in."""

    badge_variants: dict[str, str] = {}

    def badge_label(self) -> str:
        return self.get_status_display()

    @property
    def status_badge(self) -> StatusBadge:
        return StatusBadge(
            self.status, self.badge_label(), self.badge_variants.get(self.status, "")
        )


class OpenStatusMixin(StatusBadgeMixin):
    """A record whose ``open_status`` is the one state with exits (waiting for a decision)."""

    open_status: str = ""

    @property
    def is_open(self) -> bool:
        return self.status == self.open_status
