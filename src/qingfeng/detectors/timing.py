"""Send time (ur-1): work messages go out on working days, within the working window.

The calendar (official holidays, 调休 working days, a user's holiday file) and the window come from the
checker's context (``qingfeng.context``); times without a zone are China Standard Time.

Only notices and tasks given to a group are clear breaches: they make everyone read and act after hours.
A message to one person, or a weekend notice to the public that serves them (villagers, parents,
patients), is advice; so is a message to one person on a weekend day, within the window. Chat at night is not a work message and is left alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Literal

from pydantic import Field

from qingfeng.context import CALENDAR, WINDOW
from qingfeng.detectors.base import Detector, DetectorSpec, Doc, Hit, register
from qingfeng.detectors.form import DOUBTFUL
from qingfeng.text.official import analyse
from qingfeng.workcal import Window, WorkingCalendar

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@register
class TimingDetector(Detector):
    kind = "timing"

    class Spec(DetectorSpec):
        kind: Literal["timing"]
        confidence: float = Field(default=0.9, ge=0, le=1)

    def __init__(self, spec: Spec, vocabulary: Callable[[Iterable[str]], list[str]]) -> None:
        super().__init__(spec, vocabulary)
        self.calendar = WorkingCalendar()  # used when the checker's context has none
        self.window = Window()

    def detect(self, doc: Doc) -> Iterable[Hit]:
        sent = doc.message.local_time
        if sent is None:
            return []
        window: Window = doc.context.get(WINDOW) or self.window
        calendar: WorkingCalendar = doc.context.get(CALENDAR) or self.calendar
        in_window = window.contains(sent.time())
        to_group = doc.message.channel == "group"
        # One-to-one, only the hour counts: a weekday-only rule would flag every weekend request.
        if in_window and (not to_group or calendar.is_workday(sent.date())):
            return []
        form = analyse(doc.message.text)
        if form.forwarded or not (form.is_notice or form.directive):
            return []  # not a work request: chat, news, a reply
        notice = to_group and form.is_notice_like
        clear = notice and (not in_window or not form.public_audience)
        data = {"sent_at": sent.isoformat(), "window": str(window)}
        if not in_window:
            why = f"sent at {sent:%H:%M}, outside {window}"
            data["reason"] = "outside_window"
        else:
            name = calendar.day_name(sent.date())
            why = f"sent on {sent:%Y-%m-%d} ({_WEEKDAYS[sent.weekday()]}{', ' + name if name else ''}), a rest day"
            data["reason"] = "rest_day"
        if not notice:
            why += "; not a notice to a group"
        return [Hit(None, None, self.spec.confidence if clear else DOUBTFUL, why, data)]
