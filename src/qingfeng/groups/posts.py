"""The archive as the activity audits see it: each registered group's messages, checked once by the engine.

Messages are matched to the register by room id, or by room name where an export has no id and the
name is unique. Messages after the audit day are left out, so that an audit with ``--as-of`` gives the
same answer however much the archive has grown since.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice

from qingfeng.core.models import Finding, Message
from qingfeng.ingest.groups import Register
from qingfeng.pipeline.engine import Checker
from qingfeng.text.normalize import normalize_many

BATCH = 1024


@dataclass(frozen=True, slots=True)
class Post:
    message: Message
    time: datetime | None  # China Standard Time
    text: str  # normalised (width, script, disguise), for term lookups
    findings: tuple[Finding, ...]

    @property
    def day(self) -> date | None:
        return self.time.date() if self.time is not None else None


@dataclass
class Posts:
    by_room: dict[str, list[Post]] = field(default_factory=dict)  # each in time order, untimed last
    first_day: date | None = None  # the archive's span over every registered group
    last_day: date | None = None
    read: int = 0
    outside_register: int = 0  # messages of groups the register does not list, and one-to-one chats
    after_as_of: int = 0

    def room(self, room: str) -> list[Post]:
        return self.by_room.get(room, [])

    def covers(self, day: date) -> bool:
        return self.first_day is not None and self.last_day is not None and self.first_day <= day <= self.last_day


def _room_of(message: Message, register: Register, by_name: dict[str, str | None]) -> str | None:
    if message.room is not None:
        return message.room if message.room in register.groups else None
    return by_name.get(message.room_name) if message.room_name else None


def collect_posts(messages: Iterable[Message], register: Register, checker: Checker, as_of: date) -> Posts:
    by_name: dict[str, str | None] = {}
    for group in register.groups.values():
        # A name two groups share points at neither.
        by_name[group.room_name] = None if group.room_name in by_name else group.room
    posts = Posts()
    iterator = iter(messages)
    while chunk := list(islice(iterator, BATCH)):
        posts.read += len(chunk)
        batch: list[tuple[str, Message]] = []
        for message in chunk:
            room = _room_of(message, register, by_name)
            local = message.local_time
            if room is None:
                posts.outside_register += 1
            elif local is not None and local.date() > as_of:
                posts.after_as_of += 1
            else:
                batch.append((room, message))
        if not batch:
            continue
        # Messages matched by name go to the engine as group messages of their registered room.
        checked = [
            m if m.channel == "group" and m.room == r else m.model_copy(update={"channel": "group", "room": r})
            for r, m in batch
        ]
        norms = normalize_many([message.text for message in checked])
        for (room, _), message, norm, findings in zip(batch, checked, norms, checker.check_batch(checked), strict=True):
            local = message.local_time
            posts.by_room.setdefault(room, []).append(Post(message, local, norm.text, tuple(findings)))
            if local is not None:
                day = local.date()
                posts.first_day = day if posts.first_day is None else min(posts.first_day, day)
                posts.last_day = day if posts.last_day is None else max(posts.last_day, day)
    for room_posts in posts.by_room.values():
        room_posts.sort(key=lambda post: (post.time is None, post.time or datetime.min))
    return posts
