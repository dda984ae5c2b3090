"""The `analytics/exports/` table: staff see the province, enterprise users their own figures and
the province's, suppressed."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext, gettext_noop

from agri_platform.api.tenancy import enterprise_ids_of

from .. import cache
from ..labels import relabelled_table
from .suppression import province_table
from .tables import grouped, table_rows
from .windows import Window

# --- caller scope -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Viewer:
    is_staff: bool
    enterprise_ids: tuple[int, ...]

    @classmethod
    def of(cls, user) -> Viewer:
        return cls(bool(user.is_platform_staff), tuple(sorted(enterprise_ids_of(user))))


SUPPRESSION_NOTE = gettext_noop(
    "Province groups built from fewer than 3 enterprises in any month of the window are "
    "suppressed, with complementary cells; see docs/analytics.md."
)


def exports(*, viewer: Viewer, group_by: str, window: Window) -> dict:
    """The `analytics/exports/` table for this viewer, its labels and notes in the active language."""
    body = {
        "group_by": group_by,
        "window": window.as_dict(),
        "previous_window": window.previous().as_dict(),
        "currency": "CNY",
        "scope": "staff" if viewer.is_staff else "enterprise",
        "own": None,
        "notes": [],
    }
    if viewer.is_staff:
        table = cache.cached(
            "staff-table",
            {"group_by": group_by, **window.as_dict()},
            lambda: grouped(group_by, window),
        )
        body["province"] = relabelled_table(group_by, table_rows(table))
        return body
    window = window.snapped()
    body["window"] = window.as_dict()
    body["previous_window"] = window.previous().as_dict()
    own = grouped(group_by, window, enterprise_ids=list(viewer.enterprise_ids))
    body["own"] = relabelled_table(group_by, table_rows(own))
    province = province_table(group_by, window)
    body["province"] = relabelled_table(group_by, table_rows(province))
    body["notes"] = [gettext(note) for note in (SUPPRESSION_NOTE, *province.notes)]
    return body
