"""Send time (ur-1): work messages go out on working days, within the working window.

The calendar (official holidays, 调休 working days, a user's holiday file) and the window come from the
checker's context (``qingfeng.detectors.context``); times without a zone are China Standard Time.

Work messages are notices and instructions (``qingfeng.coach.official``) and requests about a work
thing (材料, 报表…) asking something done with it (改一下, 交到…). Sent at night, any of them is a clear
breach. On a rest day within the window only a notice to colleagues in a group is; a rest-day notice to
the public (villagers, parents, patients), a request, or a notice in a unit that works in shifts (an emergency
ward, a police station, a duty room: ``shift_rooms`` in its room's name) is advice, and one-to-one messages are
left alone then. Chat at night is not a work message and is left alone too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from qingfeng.coach.official import analyse
from qingfeng.coach.workcal import Window, WorkingCalendar
from qingfeng.detectors.base import Detector, DetectorSpec, Doc, Hit, register
from qingfeng.detectors.context import CALENDAR, WINDOW
from qingfeng.detectors.form import DOUBTFUL

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@register
class TimingDetector(Detector):
    kind = "timing"

    class Spec(DetectorSpec):
        kind: Literal["timing"]
        work_objects: list[str] = Field(default_factory=list, description="what a work request is about")
        work_actions: list[str] = Field(default_factory=list, description="what it asks done with it")
        shift_rooms: list[str] = Field(
            default_factory=list, description="words naming a unit that works in shifts, in a room's name"
        )
        confidence: float = Field(default=0.9, ge=0, le=1)

    def __init__(self, spec: Spec, vocabulary: Callable[[Iterable[str]], list[str]]) -> None:
        super().__init__(spec, vocabulary)
        self.objects = vocabulary(spec.work_objects)
        self.actions = vocabulary(spec.work_actions)
        self.shift_rooms = tuple(vocabulary(spec.shift_rooms))
        self.calendar = WorkingCalendar()  # used when the checker's context has none
        self.window = Window()

    def context_terms(self) -> list[str]:
        return self.objects + self.actions

    def _is_task(self, doc: Doc) -> bool:
        """A work request to someone: a work thing and something to do with it."""
        return any(doc.has(term) for term in self.objects) and any(doc.has(term) for term in self.actions)

    def _off_hours(self, doc: Doc) -> tuple[datetime, Window, WorkingCalendar, bool] | None:
        """When the message was sent outside working time: (local send time, window, calendar, whether it
        fell inside the window); None when it was sent in working time or has no time."""
        sent = doc.message.local_time
        if sent is None:
            return None
        window: Window = doc.context.get(WINDOW) or self.window
        calendar: WorkingCalendar = doc.context.get(CALENDAR) or self.calendar
        in_window = window.contains(sent.time())
        # One-to-one, only the hour counts: a weekday-only rule would flag every weekend request.
        if in_window and (doc.message.channel != "group" or calendar.is_workday(sent.date())):
            return None
        return sent, window, calendar, in_window

    def screen(self, docs: Sequence[Doc], batch: dict[Any, Any]) -> list[int]:
        """Only messages sent outside working time reach ``detect``: most are sent within it."""
        return [number for number, doc in enumerate(docs) if self._off_hours(doc) is not None]

    def detect(self, doc: Doc) -> Iterable[Hit]:
        off_hours = self._off_hours(doc)
        if off_hours is None:
            return []
        sent, window, calendar, in_window = off_hours
        to_group = doc.message.channel == "group"
        form = analyse(doc.layout_text())
        notice = form.is_notice_like and not form.forwarded
        task = not notice and self._is_task(doc)
        if not (notice or task):
            return []  # not a work message: chat, news, a reply
        # At night any notice or request is clear; on a rest day, a notice to colleagues in a group, unless the
        # unit works in shifts (an emergency ward, a police station, a duty room: rest days are working days there).
        room = doc.message.room_name or ""
        shifts = any(word in room for word in self.shift_rooms)
        clear = not in_window or (to_group and notice and not form.public_audience and not shifts)
        data = {"sent_at": sent.isoformat(), "window": str(window)}
        if not in_window:
            why = f"sent at {sent:%H:%M}, outside {window}"
            data["reason"] = "outside_window"
        else:
            name = calendar.day_name(sent.date())
            why = f"sent on {sent:%Y-%m-%d} ({_WEEKDAYS[sent.weekday()]}{', ' + name if name else ''}), a rest day"
            data["reason"] = "rest_day"
            if shifts:
                why += "; the unit works in shifts"
        if task:
            why += "; a work request"
        return [Hit(None, None, self.spec.confidence if clear else DOUBTFUL, why, data)]
