"""Dates and times as offices write them, rewritten as ISO 8601 for the readers' validation.

Excel on Chinese Windows saves a date cell to CSV as it shows it — ``2026/12/3 9:15`` (no leading zeros) — and
people type ``2026年12月3日 下午3:15`` or ``2026.12.03``; ISO readers refuse all of them. A value of none of
these forms is returned unchanged, so the error the user sees quotes what the file holds.
"""

from __future__ import annotations

import re
from datetime import datetime

# half of the day, hour, minute, second, fraction: 9:15, 09:15:30.5, 下午3点05, 15时5分
_CLOCK = (r"(上午|中午|下午|晚上|凌晨)?\s*(\d{1,2})\s*[:：时点]\s*(\d{1,2})"
          r"(?:\s*[:：分]\s*(\d{1,2})(\.\d+)?\s*秒?)?\s*分?")
_OFFICE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?(?:(?:\s*|T)" + _CLOCK + ")?")
_TIME_ONLY = re.compile(_CLOCK)
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")  # what office_datetime makes of a date without a time
_AFTERNOON = frozenset({"下午", "晚上"})


def office_datetime(value: str) -> str:
    """``value`` as ``YYYY-MM-DD[ HH:MM:SS]`` when it is a date (and time) in an office form, else unchanged."""
    found = _OFFICE.fullmatch(value.strip())
    if found is None:
        return value
    year, month, day, half, hour, minute, second, fraction = found.groups()
    day_part = f"{year}-{int(month):02d}-{int(day):02d}"
    read = day_part if hour is None else f"{day_part} {_clock(half, hour, minute, second, fraction)}"
    try:
        datetime.fromisoformat(read)
    except ValueError:  # 2026/13/40: the error is to quote the file's own value
        return value
    return read


def on_day(day: str, clock: str) -> str | None:
    """A time-of-day cell (``9:15``, ``下午3点``) on the date cell beside it (``日期`` and ``时间`` columns) as one
    time; None when the time cell names its own day. A date of no office form is joined as written, so that the
    error quotes both cells."""
    found = _TIME_ONLY.fullmatch(clock.strip())
    if found is None:
        return None
    day_part = office_datetime(day)
    if _ISO_DAY.fullmatch(day_part) is None:
        return f"{day} {clock}"
    return f"{day_part} {_clock(*found.groups())}"


def _clock(half: str | None, hour: str, minute: str, second: str | None, fraction: str | None) -> str:
    hours = int(hour)
    if half in _AFTERNOON and hours < 12:
        hours += 12
    elif half in ("上午", "凌晨") and hours == 12:
        hours = 0
    return f"{hours:02d}:{int(minute):02d}:{int(second or 0):02d}{fraction or ''}"
