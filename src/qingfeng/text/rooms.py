"""What kind of group a message was sent in, inferred from the group's name when no register says."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files

from qingfeng.core.cache import yaml_data

ROOM_KINDS: tuple[str, ...] = ("work", "notice", "project", "branch", "family", "friends", "other")
# Settings where the work-conduct rules on form apply: official business happens there.
WORK_ROOMS = frozenset({"work", "notice", "project", "branch"})
NO_ROOM = "none"  # one-to-one chats and Moments

# Checked in the file's order (rooms.yaml, beside this module), read once when the module loads.
_KIND_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile("|".join(words)))
    for kind, words in yaml_data(files("qingfeng.text").joinpath("rooms.yaml").read_text("utf-8")).items()
)


@lru_cache(maxsize=4096)
def infer_room_kind(room_name: str | None) -> str:
    if not room_name:
        return "other"
    for kind, pattern in _KIND_PATTERNS:
        if pattern.search(room_name):
            return kind
    return "other"


def room_kind(channel: str, room: str | None, room_name: str | None, register: dict[str, str]) -> str:
    """The register's word wins; otherwise the name tells. One-to-one chats and Moments have no room."""
    if channel != "group":
        return NO_ROOM
    if room is not None and room in register:
        return register[room]
    return infer_room_kind(room_name)
