"""The official-message coach: a draft fitted into a notice's shape, for `check --fix` and the web's check page."""

from __future__ import annotations

from datetime import datetime

from qingfeng.compose import Fitted, fit_notice
from qingfeng.models import DEFAULT_ZONE
from qingfeng.workcal import today


def fitted(text: str, sent: datetime | None, lang: str) -> Fitted | None:
    """The draft in a notice's shape, dated the day it is sent (today when the time is not given)."""
    day = sent.astimezone(DEFAULT_ZONE).date() if sent is not None else today()
    return fit_notice(text, day=day, lang=lang)
