"""Writing official messages: a well-formed notice from its parts, and a draft fitted into that shape.

A notice (fm-1..5) reads: salutation naming the recipients; the subject in the first sentence; the
points numbered; the closing (特此通知, 收到请回复); the signature; the date. ``draft_notice`` builds one
from its parts. ``fit_notice`` shows a user's own draft in that shape: it adds what is missing — as a
placeholder where only the writer knows it (【请填写落款】) — and never changes the writer's words.

Used by ``qingfeng draft notice`` and ``qingfeng check --fix``; the web app can call it too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from qingfeng.coach.official import ITEM_NUMBER, analyse, find_opener
from qingfeng.coach.workcal import today
from qingfeng.core.i18n import t
from qingfeng.core.models import DEFAULT_ZONE

_ITEM_SPLIT = re.compile(r"[\n；;]+")
_END_MARK = "。；;！!？?.…"
_SIGN_DASH = "—-－~～ \u3000"
_DATE_IN_TAIL = re.compile(r"[0-9]{1,2}月[0-9]{1,2}日|[0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}")


def format_date(day: date, lang: str = "zh") -> str:
    return day.isoformat() if lang == "en" else f"{day.year}年{day.month}月{day.day}日"


def _subject(title: str, lang: str) -> str:
    core = title.strip()
    if lang == "en":
        return t("compose.subject", lang, title=core)
    core = re.sub(r"^关于", "", core)
    core = re.sub(r"的?通知$", "", core)
    return t("compose.subject", lang, title=core)


def _points(items: Iterable[str]) -> list[str]:
    """One point per item; an item holding several lines or ；-clauses becomes several points."""
    points: list[str] = []
    for item in items:
        for part in _ITEM_SPLIT.split(item):
            part = ITEM_NUMBER.sub("", part).strip()
            if part:
                points.append(part)
    return points


def _numbered(points: list[str]) -> list[str]:
    lines = []
    for number, point in enumerate(points, start=1):
        end = "" if point[-1] in _END_MARK else ("。" if number == len(points) else "；")
        lines.append(f"{number}. {point}{end}")
    return lines


def draft_notice(
    *,
    title: str,
    to: str = "",
    items: Iterable[str] = (),
    signature: str = "",
    day: date | None = None,
    reply: bool = True,
    lang: str = "zh",
) -> str:
    """A complete notice. Missing parts (no recipients, no signature) come out as placeholders."""
    points = _points(items)
    lines = [
        f"{to.strip() or t('compose.placeholder.to', lang)}{t('compose.colon', lang)}",
        _subject(title, lang),
        *(_numbered(points) if points else [t("compose.placeholder.items", lang)]),
        t("compose.closing_reply" if reply else "compose.closing", lang),
        signature.strip() or t("compose.placeholder.signature", lang),
    ]
    if day is not None:
        lines.append(format_date(day, lang))
    return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class Fitted:
    """A draft in the notice's shape, and what was added to it (keys of ``compose.added.*``)."""

    text: str
    added: tuple[str, ...]


def _numbered_body(body: str, min_items: int) -> list[str]:
    """The draft's own words, with its requests on numbered lines where there are several."""
    pieces = [piece.strip() for piece in re.split(r"(?<=[。；;！!？?\n])", body) if piece.strip()]
    if sum(1 for piece in pieces if analyse(piece).directive) < min_items:
        return [body]
    lines: list[str] = []
    number = 0
    for piece in pieces:
        if analyse(piece).directive:
            number += 1
            lines.append(f"{number}. {piece}")
        elif number:
            lines[-1] += piece  # a remark that belongs to the point before it
        else:
            lines.append(piece)
    return lines


def fit_notice(text: str, *, day: date | None = None, lang: str = "zh", min_items: int = 3) -> Fitted | None:
    """The draft fitted into a notice's shape, or None when it is not a notice or task (nothing to fit)
    or lacks nothing. The writer's words are kept as they are, in their order; fixed words (特此通知,
    收到请回复) are added in Chinese, placeholders for what only the writer knows in ``lang``."""
    opener = find_opener(text)
    if opener is not None and opener.bare:
        return Fitted(f"{text.rstrip()}\n{t('compose.placeholder.subject', lang)}", ("subject",))
    form = analyse(text)
    if form.forwarded or not form.is_notice_like:
        return None
    added: list[str] = []
    head_end = form.content_start
    head = text[:head_end].strip()
    lines = [head] if head else []
    if form.salutation is None:
        lines.append(t("compose.placeholder.to", lang) + "：")
        added.append("salutation")
    end = len(text)
    if form.signature is not None:
        end = form.signature[0]
        while end > head_end and text[end - 1] in _SIGN_DASH:  # the writer's "——" stays with the signature
            end -= 1
    body = text[head_end:end].strip()
    if not form.numbered and form.items >= min_items:
        body_lines = _numbered_body(body, min_items)
        if len(body_lines) > 1:
            added.append("numbering")
    else:
        body_lines = [body]
    lines += [line for line in body_lines if line]
    closing = []
    if form.is_notice and not form.closing_notice:
        closing.append("特此通知")
        added.append("closing_notice")
    if form.important is not None and not form.closing_reply:
        closing.append("收到请回复")
        added.append("closing_reply")
    if closing:
        lines.append("，".join(closing) + "。")
    tail = text[end:].strip() if form.signature else ""
    if tail:
        lines.append(tail)
    else:
        lines.append(t("compose.placeholder.signature", lang))
        added.append("signature")
    if not _DATE_IN_TAIL.search(tail):
        lines.append(format_date(day) if day is not None else t("compose.placeholder.date", lang))
        added.append("date")
    return Fitted("\n".join(lines), tuple(added)) if added else None


__all__ = ["Fitted", "draft_notice", "fit_notice", "format_date"]


def fitted(text: str, sent: datetime | None, lang: str) -> Fitted | None:
    """The draft in a notice's shape, dated the day it is sent (today when the time is not given)."""
    day = sent.astimezone(DEFAULT_ZONE).date() if sent is not None else today()
    return fit_notice(text, day=day, lang=lang)
