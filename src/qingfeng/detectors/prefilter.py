"""What can be learnt about a regular expression before running it, so regex rules run only where they can match.

- ``required_literals``: literals every match contains, checked against the shared Aho-Corasick pass.
  Derived from the parsed expression as a conjunction of alternatives: every match holds one literal of
  each set. Sets come from runs of plain characters, groups and repeats (at least once) of such, small
  character classes, and alternations whose every branch gives a set. Anything else (wide classes,
  optional parts, case-insensitive matching) gives nothing.
- ``batch_safe``: whether the expression can be searched once over a whole batch of texts joined by NUL,
  each match then belonging to exactly one text, with the same texts matched as one search per text;
  ``batch_gate``: such an expression that matches wherever the given one does (a gate for it).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as parser  # type: ignore[attr-defined]
from typing import Any

Required = tuple[frozenset[str], ...]

_SMALL_CLASS = 8  # a class of up to this many plain characters counts as that many one-character literals
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT))


def required_literals(regex: str) -> Required:
    """Sets of strings such that every match of ``regex`` contains one string of each set.

    Sets holding a literal that begins or ends with a Latin letter are left out: the shared pass reports
    those only as whole words, so it could miss one inside a longer word that the regex would match.
    """
    try:
        parsed = parser.parse(regex)
    except re.error:
        return ()
    if parsed.state.flags & re.IGNORECASE:
        return ()
    return tuple(frozenset(found) for found in _sequence(list(parsed)) if all(map(_usable, found)))


def present(required: Required, found: Mapping[str, object]) -> bool:
    """Whether the terms found in a message hold one literal of every set."""
    return all(not literals.isdisjoint(found) for literals in required)


def _usable(literal: str) -> bool:
    return bool(literal) and not _latin(literal[0]) and not _latin(literal[-1])


def _latin(char: str) -> bool:
    return char.isascii() and char.isalpha()


def _best(sets: list[set[str]]) -> set[str] | None:
    """The most selective set: the longest shortest literal, then the fewest literals."""
    usable = [found for found in sets if all(map(_usable, found))]
    return max(usable, key=lambda found: (min(map(len, found)), -len(found)), default=None)


def _sequence(items: list[tuple[Any, Any]]) -> list[set[str]]:
    sets: list[set[str]] = []
    run: list[str] = []
    for op, value in items:
        if op is sre.LITERAL:
            run.append(chr(value))
            continue
        if run:
            sets.append({"".join(run)})
            run = []
        sets.extend(_part(op, value))
    if run:
        sets.append({"".join(run)})
    return sets


def _part(op: Any, value: Any) -> list[set[str]]:
    if op is sre.SUBPATTERN:
        _, add_flags, _, pattern = value
        return [] if add_flags & re.IGNORECASE else _sequence(list(pattern))
    if op is sre.BRANCH:
        union: set[str] = set()
        for branch in value[1]:
            best = _best(_sequence(list(branch)))
            if best is None:
                return []
            union |= best
        return [union]
    if op in _REPEATS:
        low, _, pattern = value
        return _sequence(list(pattern)) if low >= 1 else []
    if op is sre.IN and len(value) <= _SMALL_CLASS and all(kind is sre.LITERAL for kind, _ in value):
        return [{chr(char) for _, char in value}]
    if op is getattr(sre, "ATOMIC_GROUP", None):
        return _sequence(list(value))
    return []


def batch_safe(regex: str) -> bool:
    """True when ``regex`` cannot match NUL or the empty string and looks at nothing around its match
    (no anchors, look-arounds or back-references): then a text has a match if and only if a search over
    the NUL-joined batch finds one inside that text."""
    try:
        parsed = parser.parse(regex)
    except re.error:
        return False
    if parsed.state.flags & (re.IGNORECASE | re.DOTALL) or parsed.getwidth()[0] == 0:
        return False
    return _nul_free(list(parsed))


def batch_gate(regex: str) -> str | None:
    """A regex to search a batch with (``batch_safe``) that matches in every text ``regex`` matches in:
    ``regex`` itself, or without the look-behind it opens with (``(?<![a-z0-9])…``), which only narrows
    where a match may start; None when there is none."""
    if batch_safe(regex):
        return regex
    end = _group_end(regex) if regex.startswith(("(?<!", "(?<=")) else None
    if end is None:
        return None
    rest = regex[end:]
    return rest if rest and batch_safe(rest) else None


def _group_end(regex: str) -> int | None:
    """The offset just past the group that opens ``regex`` (escapes and character classes skipped)."""
    depth, position, in_class = 0, 0, False
    while position < len(regex):
        char = regex[position]
        if char == "\\":
            position += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if regex[position + 1 : position + 2] == "]":  # a "]" first in a class is a literal
                position += 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return position + 1
        position += 1
    return None


def _nul_free(items: list[tuple[Any, Any]]) -> bool:
    for op, value in items:
        if op is sre.LITERAL:
            if value == 0:
                return False
        elif op is sre.IN:
            if not all(_class_item_nul_free(kind, item) for kind, item in value):
                return False
        elif op is sre.SUBPATTERN:
            if value[1] & re.IGNORECASE or not _nul_free(list(value[3])):
                return False
        elif op is sre.BRANCH:
            if not all(_nul_free(list(branch)) for branch in value[1]):
                return False
        elif op in _REPEATS:
            if not _nul_free(list(value[2])):
                return False
        elif op is getattr(sre, "ATOMIC_GROUP", None):
            if not _nul_free(list(value)):
                return False
        else:  # ANY, NOT_LITERAL, AT, ASSERT, ASSERT_NOT, GROUPREF, CATEGORY outside a class…
            return False
    return True


_NUL_FREE_CATEGORIES = frozenset(
    getattr(sre, name) for name in ("CATEGORY_DIGIT", "CATEGORY_WORD", "CATEGORY_SPACE") if hasattr(sre, name)
)


def _class_item_nul_free(kind: Any, item: Any) -> bool:
    if kind is sre.LITERAL:
        return item != 0
    if kind is sre.RANGE:
        return item[0] > 0
    if kind is sre.CATEGORY:
        return item in _NUL_FREE_CATEGORIES
    return False  # NEGATE and anything unusual
