"""The Chinese working calendar: official holidays and adjusted working days (调休).

``chinesecalendar`` knows each year the State Council has announced. For a later (or much earlier) year
the calendar falls back to Monday–Friday and remembers that it did, so that reports can say so once. A
holiday file adds or corrects days without waiting for a library release:

    date,kind,name
    2027-01-01,holiday,元旦
    2027-02-07,workday,春节调休

``kind`` is ``holiday`` (a day off) or ``workday`` (an adjusted working day); ``name`` is optional.
A year that appears in the file counts as known: its other days follow the week (Monday–Friday work),
so a full year's schedule can be given without waiting for a library release. Bad rows are reported
with file, line and field: ``read_holidays`` returns them with the rest of the file, and
``WorkingCalendar.from_file`` refuses the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

import chinese_calendar

from qingfeng.core.models import DEFAULT_ZONE
from qingfeng.ingest.errors import InputError, InputProblem


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
            window = cls(time.fromisoformat(first), time.fromisoformat(second))
        except ValueError:
            raise ValueError(f"a time window looks like 08:00-22:00, not {text!r}") from None
        if window.start >= window.end:
            raise ValueError(f"the window {text!r} must start before it ends, within one day")
        return window

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


@dataclass
class WorkingCalendar:
    extra: dict[date, tuple[bool, str]] = field(default_factory=dict)  # day → (is a workday, name)
    fallback_years: set[int] = field(default_factory=set)  # years judged by weekday alone
    # Years the holiday file covers: where chinesecalendar does not know them, the file's days and the
    # week complete the schedule, and no fallback is reported.
    known_years: frozenset[int] = field(init=False)
    # chinesecalendar scans its whole table on every call (~50 µs); archives ask about the same days often.
    _known: dict[date, bool] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.known_years = frozenset(day.year for day in self.extra)

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
            if day.year not in self.known_years:
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
        """The calendar with a holiday file's days; a bad row is an error (InputError naming file, line,
        field), since a calendar with a day left out would judge that day wrongly."""
        calendar, problems = read_holidays(path)
        if problems:
            raise InputError(replace(problems[0], more=len(problems) - 1))
        return calendar


def today() -> date:
    """Today in China Standard Time, where working days are judged."""
    return datetime.now(DEFAULT_ZONE).date()


def read_holidays(path: Path) -> tuple[WorkingCalendar, list[InputProblem]]:
    """A calendar with the file's days, and the rows that could not be read (the rest are kept)."""
    extra: dict[date, tuple[bool, str]] = {}
    problems: list[InputProblem] = []
    from qingfeng.ingest.csvfile import read_csv  # a file given: a plain check reads none (start-up time)

    for line, row in read_csv(path, required=("date", "kind"), kind="holidays"):
        try:
            day = date.fromisoformat(row.get("date", ""))
        except ValueError:
            problems.append(InputProblem.of(str(path), line, "date", "date", got=repr(row.get("date"))))
            continue
        kind = row.get("kind", "")
        if kind not in ("holiday", "workday"):
            problems.append(
                InputProblem.of(str(path), line, "kind", "one_of", expected="holiday, workday", got=repr(kind))
            )
            continue
        if day in extra:
            problems.append(InputProblem.of(str(path), line, "date", "duplicate_day", day=day))
            continue
        extra[day] = (kind == "workday", row.get("name", ""))
    return WorkingCalendar(extra), problems
