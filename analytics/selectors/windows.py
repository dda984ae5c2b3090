"""The dashboard's clock and its date windows (whole months or any days, and the year before)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q
from django.utils import timezone


def now() -> datetime:
    """The dashboard's clock (UTC); tests replace it."""
    return timezone.now()


def today() -> date:
    return now().date()


# --- windows ------------------------------------------------------------------------------------


def shift_year(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


@dataclass(frozen=True)
class Window:
    start: date
    end: date  # inclusive

    @classmethod
    def default(cls, on: date | None = None) -> Window:
        """The 12 calendar months ending with the current month."""
        on = on or today()
        return cls(add_months(on.replace(day=1), -11), month_end(on))

    def previous(self) -> Window:
        """The same days a year before (a whole-month window stays whole months)."""
        if self.whole_months:
            return Window(shift_year(self.start, -1), month_end(shift_year(self.end, -1)))
        return Window(shift_year(self.start, -1), shift_year(self.end, -1))

    @property
    def whole_months(self) -> bool:
        return self.start.day == 1 and self.end == month_end(self.end)

    def snapped(self) -> Window:
        """Whole calendar months (enterprise users' province figures use only whole months)."""
        return Window(self.start.replace(day=1), month_end(self.end))

    def q(self, *, rollup: bool = False) -> Q:
        if rollup:
            return Q(month__gte=self.start.replace(day=1), month__lte=self.end.replace(day=1))
        return Q(departed_on__gte=self.start, departed_on__lte=self.end)

    def months(self) -> list[date]:
        months, month = [], self.start.replace(day=1)
        while month <= self.end:
            months.append(month)
            month = add_months(month, 1)
        return months

    def as_dict(self) -> dict:
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}
