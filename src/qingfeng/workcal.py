"""The Chinese working calendar: official holidays and adjusted working days (调休).

``chinesecalendar`` knows each year the State Council has announced. For a later (or much earlier) year
the calendar falls back to Monday–Friday and remembers that it did, so that reports can say so once. A
holiday file adds or corrects days without waiting for a library release:

    date,kind,name
    2027-01-01,holiday,元旦
    2027-02-07,workday,春节调休

``kind`` is ``holiday`` (a day off) or ``workday`` (an adjusted working day); ``name`` is optional.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

import chinese_calendar

from qingfeng.ingest.errors import InputError, InputProblem
from qingfeng.models import DEFAULT_ZONE


@dataclass(frozen=True)
class Window:
    """A daily time window, start inclusive, end exclusive (08:00–22:00 for sending work messages)."""

    start: time = time(8, 0)
    end: time = time(22, 0)

    def contains(self, moment: time) -> bool:
        return self.start <= moment < self.end

    @classmethod
    def parse(cls, text: str) -> Window:
        """'08:00-22:00' → Window."""
        try:
            first, second = (part.strip() for part in text.split("-"))
            return cls(time.fromisoformat(first), time.fromisoformat(second))
        except ValueError:
            raise ValueError(f"a time window looks like 08:00-22:00, not {text!r}") from None


@dataclass
class WorkingCalendar:
    extra: dict[date, tuple[bool, str]] = field(default_factory=dict)  # day → (is a workday, name)
    fallback_years: set[int] = field(default_factory=set)  # years judged by weekday alone
    # chinesecalendar scans its whole table on every call (~50 µs); archives ask about the same days often.
    _known: dict[date, bool] = field(default_factory=dict, repr=False)

    def is_workday(self, day: date) -> bool:
        known = self._known.get(day)
        if known is None:
            known = self._known[day] = self._look_up(day)
        return known

    def _look_up(self, day: date) -> bool:
        if day in self.extra:
            return self.extra[day][0]
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            self.fallback_years.add(day.year)
            return day.weekday() < 5

    def next_workday(self, day: date) -> date:
        """The first working day after ``day``: "within one working day" ends when that day ends."""
        following = day + timedelta(days=1)
        # The longest official break is a week or so; a year of rest days means a broken holiday file.
        for _ in range(366):
            if self.is_workday(following):
                return following
            following += timedelta(days=1)
        raise ValueError(f"no working day in the year after {day}")

    def day_name(self, day: date) -> str | None:
        """The holiday's or adjusted working day's name, where known."""
        if day in self.extra:
            return self.extra[day][1] or None
        try:
            on_holiday, name = chinese_calendar.get_holiday_detail(day)
        except NotImplementedError:
            return None
        if name is None:
            return None
        return name if on_holiday else f"{name} (调休)"

    def is_working_time(self, moment: datetime, window: Window) -> bool:
        local = moment.astimezone(DEFAULT_ZONE) if moment.tzinfo else moment.replace(tzinfo=DEFAULT_ZONE)
        return self.is_workday(local.date()) and window.contains(local.time())

    @classmethod
    def from_file(cls, path: Path) -> WorkingCalendar:
        extra: dict[date, tuple[bool, str]] = {}
        try:
            with path.open(encoding="utf-8-sig", newline="") as stream:
                rows = list(csv.DictReader(stream))
        except OSError as error:
            raise InputError(InputProblem(str(path), None, None, error.strerror or "cannot read")) from None
        for number, row in enumerate(rows, start=2):
            try:
                day = date.fromisoformat((row.get("date") or "").strip())
            except ValueError:
                raise InputError(InputProblem(str(path), number, "date", "expected YYYY-MM-DD")) from None
            kind = (row.get("kind") or "").strip()
            if kind not in ("holiday", "workday"):
                raise InputError(InputProblem(str(path), number, "kind", "expected holiday or workday"))
            extra[day] = (kind == "workday", (row.get("name") or "").strip())
        return cls(extra)
