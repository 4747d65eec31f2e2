"""Words written partly in pinyin inside Chinese text (兼zhi刷dan, 怀y了, jia微, wei信, 被liu zhi了): a view of the
normalised text in which such a run is written in the characters of the rulebook term it spells, so that every
rule, frame and model reads it as that word, and every span still maps back to what the writer typed.

The terms are the rulebook's own, spelt by pypinyin (in context, as ``qingfeng.text.pinyin`` spells them); no
disguised spelling is listed anywhere. A run is read only where evaders write one, and guarded against the
Latin of ordinary office chat:

- only the terms that make a rule worth running (its triggers) are read into text, never a frame's cue or a
  host word, so a misread run can add a candidate hit for the context stage to judge but never excuse one;
- a Latin segment (letters, words of them apart by single spaces) counts only beside a Chinese character;
  not joined to a digit or a code character (``.@/_-:\\``), in the normalised text or as typed (a handle, an
  address, a model number, 4G, an escape such as \\r); not in a dictionary word with the characters beside it
  (T恤, B超, 卡拉OK); and only when each of its words is pinyin: whole toneless or toned syllables of two
  letters or more (shuadan, sè tú), or up to three initials in lower case (y, dl; V stands for 微's w, as
  evaders write it; capitals are abbreviations, MB, PC; x's are a mask, xx号). "app", "wifi", "ok", "part
  time", "e人" are no pinyin and leave the text alone; a segment that a rulebook term already spells (加v,
  日jie) is the rulebook's;
- a match holds a whole number of segments and at least one Chinese character of the term, in its place
  (兼zhi刷dan, 怀y); read from initials alone, it holds as many characters as initials, the first of them
  written (怀y, 艾z病, not b类 or g大屏). Pinyin alone meets a term only as two syllables typed apart in lower
  case between Chinese characters ("被liu zhi了"), or between one and the message's start or end: names and
  places are written capitalised or run together ("Zhang San", "shanghai"), and longer spellings are
  ``qingfeng.text.pinyin``'s;
- overlapping matches: the longest term first, then the leftmost; where several terms fit the same run
  (bing毒: 病毒, 冰毒; wei信: 微信, 威信), the one whose characters written in pinyin are the commonest (jieba's
  character frequencies): a rarer homophone in the rulebook is itself a disguise of the commoner word.

pypinyin loads only when a message holds such a run; the terms' spellings are built then, once, and cached.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from qingfeng.core.cache import cached
from qingfeng.text.normalize import HAN, NormText
from qingfeng.text.words import dictionary_word, log_frequency

MAX_TERM = 8  # syllables in the longest term a run is matched against
MAX_INITIALS = 3  # letters in the longest word read as initials ("dl"; "pdf" would be one too, but no term)
# Toned vowels as evaders type them (sè tú), toneless; ü as pypinyin writes it without tones (lv)
_TONELESS = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü", "aaaaeeeeiiiioooouuuuvvvvv")
_LETTERS = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
_SEGMENT = re.compile(rf"[{_LETTERS}]+(?: [{_LETTERS}]+)*")
# A letter other than a mask's x, beside a character (masks, x月x号, fill a third of some SMS corpora)
_NOT_X = _LETTERS.replace("a-z", "a-wyz")
_BESIDE = re.compile(rf"[{HAN}][x ]*[{_NOT_X}]|[{_NOT_X}][x ]*[{HAN}]")
_HAN_CHAR = re.compile(f"[{HAN}]")
_HAN_TERM = re.compile(f"[{HAN}]{{2,{MAX_TERM}}}")
_CODE = frozenset(".@/_-:：#&=?%\\") | frozenset("0123456789")
_INITIALS = frozenset("bpmfdtnlgkhjqxzcsryw")
_SEEN_AS = {"v": "w"}  # a letter evaders write for another's sound (V信, VX: 微信)


def beside_han(text: str) -> bool:
    """Whether a Latin letter (not only x's) touches a Chinese character: the cheap test before reading a text."""
    return _BESIDE.search(text) is not None


@dataclass(frozen=True, slots=True)
class _Unit:
    """A Chinese character (``parts`` is None) or a Latin segment and its pinyin parts: ("syl", "zhi") or
    ("ini", "z")."""

    start: int
    end: int
    parts: tuple[tuple[str, str], ...] | None = None
    lower: bool = True  # a segment written in lower case in the original


@dataclass(frozen=True, slots=True)
class _Index:
    syllables: frozenset[str]
    spelt: dict[str, tuple[str, ...]]  # term → its syllables
    by_char: dict[tuple[int, int, str], tuple[str, ...]]  # (length, position, character) → terms
    pairs: dict[tuple[str, str], tuple[str, ...]]  # two syllables → two-character terms


def _build(terms: Sequence[str]) -> _Index:
    import unicodedata

    from pypinyin import Style, lazy_pinyin
    from pypinyin.constants import PINYIN_DICT

    syllables = set()
    for readings in PINYIN_DICT.values():
        for reading in readings.split(","):
            plain = "".join(c for c in unicodedata.normalize("NFD", reading) if not unicodedata.combining(c))
            syllables.add(plain.replace("u\u0308", "v"))
    syllables |= {s.replace("u", "v") for s in syllables if s[:1] in "ln" and "u" in s}  # lv, nve
    syllables -= {"m", "n", "ng", "hm", "hng"}  # interjections: such letters are initials
    spelt: dict[str, tuple[str, ...]] = {}
    by_char: dict[tuple[int, int, str], list[str]] = {}
    pairs: dict[tuple[str, str], list[str]] = {}
    for term in terms:
        spelling = tuple(lazy_pinyin(term, style=Style.NORMAL, errors="ignore", v_to_u=False))
        if len(spelling) != len(term) or not all(s.isascii() and s.isalpha() for s in spelling):
            continue
        spelt[term] = spelling
        for position, char in enumerate(term):
            by_char.setdefault((len(term), position, char), []).append(term)
        if len(term) == 2:
            pairs.setdefault((spelling[0], spelling[1]), []).append(term)
    return _Index(frozenset(syllables), spelt, {k: tuple(v) for k, v in by_char.items()},
                  {k: tuple(v) for k, v in pairs.items()})


class MixedReader:
    """Reads runs of Chinese characters and pinyin as the rulebook terms they spell."""

    def __init__(self, terms: Iterable[str]) -> None:
        self._given = terms  # read on first use: most checks never need it
        self._index: _Index | None = None

    def _loaded(self) -> _Index:
        if self._index is None:
            terms = sorted(t for t in set(self._given) if _HAN_TERM.fullmatch(t))
            key = hashlib.sha256("\n".join(terms).encode()).hexdigest()
            self._index = cached("mixed", key, lambda: _build(terms))
        return self._index

    def read(self, norm: NormText, spelt: Iterable[tuple[int, int]] = ()) -> NormText | None:
        """The text with each mixed run written as the term it spells, or None when it holds none. ``spelt``:
        spans that rulebook terms holding Latin letters already matched (加v, 日jie), left as they are."""
        text = norm.text
        index = self._loaded()
        units = _units(norm, index.syllables, list(spelt))
        if not any(unit.parts for unit in units):
            return None
        found = []
        for run in _runs(units):
            found += _matches(text, run, index)
        if not found:
            return None
        found.sort(key=lambda m: (-len(m[2]), m[0], -_commonness(text, m)))
        chosen: list[_Match] = []
        for match in found:
            if all(match[1] <= other[0] or match[0] >= other[1] for other in chosen):
                chosen.append(match)
        return Respelled(norm, sorted(chosen))


def _commonness(text: str, match: _Match) -> float:
    """How common the characters are that the match reads from pinyin."""
    return sum(log_frequency(char) for char, span in zip(match[2], match[3], strict=True) if span[1] - span[0] > 1
               or not _HAN_CHAR.match(text[span[0]]))


def _units(norm: NormText, syllables: frozenset[str], spelt: list[tuple[int, int]]) -> list[_Unit]:
    """The text's pinyin segments and the Chinese characters within a term's reach of them, in text order."""
    text = norm.text
    segments = []
    for segment in _SEGMENT.finditer(text):
        start, end = segment.span()
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        if not (_HAN_CHAR.match(before) or _HAN_CHAR.match(after)) or before in _CODE or after in _CODE:
            continue
        parts = _pinyin(segment.group(), syllables)
        if not parts or any(s < end and start < e for s, e in spelt) or _in_a_word(text, start, end):
            continue
        lo, hi = norm.to_original(start, end)
        original = norm.original
        if (lo and original[lo - 1] in _CODE) or original[hi : hi + 1] in _CODE:
            continue  # joined to a code in what was typed (4G, \\r), before the normaliser dropped the joint
        written = original[lo:hi]
        if any(kind == "ini" for kind, _ in parts) and not written.islower():
            continue  # capital initials are an abbreviation (MB, PC, BL), not a word's sounds
        segments.append(_Unit(start, end, parts, written.islower()))
    if not segments:
        return []
    near = {at for unit in segments for at in range(max(0, unit.start - MAX_TERM), unit.end + MAX_TERM)}
    characters = [_Unit(at, at + 1) for at in sorted(near) if at < len(text) and _HAN_CHAR.match(text[at])]
    return sorted(segments + characters, key=lambda unit: unit.start)


def _in_a_word(text: str, start: int, end: int) -> bool:
    """Whether the letters make a dictionary word with the characters beside them (T恤, B超, 卡拉OK)."""
    letters = text[start:end]
    if " " in letters:
        return False
    for size in (1, 2):
        before, after = text[max(0, start - size) : start], text[end : end + size]
        for piece in (before + letters, letters + after):
            if len(piece) > len(letters) and (dictionary_word(piece) or dictionary_word(piece.upper())):
                return True
    return False


@lru_cache(maxsize=1 << 12)
def _pinyin(segment: str, syllables: frozenset[str]) -> tuple[tuple[str, str], ...] | None:
    """Each word of the segment as whole syllables or as initials; None if a word is neither. A word of x's
    is a mask (xx号, 138xxxx), not pinyin."""
    parts: list[tuple[str, str]] = []
    for word in segment.translate(_TONELESS).split(" "):
        if not word.strip("x"):
            return None
        whole = _syllables(word, syllables) if len(word) > 1 else None
        if whole is not None:
            parts += [("syl", s) for s in whole]
        elif len(word) <= MAX_INITIALS and all(c in _INITIALS or c in _SEEN_AS for c in word):
            parts += [("ini", _SEEN_AS.get(c, c)) for c in word]
        else:
            return None
    return tuple(parts)


def _syllables(word: str, syllables: frozenset[str]) -> list[str] | None:
    """The word cut into the fewest whole syllables, or None."""
    best: list[list[str] | None] = [[]] + [None] * len(word)
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 6), end):
            head = best[start]
            if head is not None and word[start:end] in syllables:
                cut = [*head, word[start:end]]
                if best[end] is None or len(cut) < len(best[end] or ()):
                    best[end] = cut
    return best[len(word)]


def _runs(units: list[_Unit]) -> list[list[_Unit]]:
    """Units that touch one another, in runs holding at least one Latin segment."""
    runs: list[list[_Unit]] = []
    current: list[_Unit] = []
    for unit in units:
        if current and current[-1].end != unit.start:
            runs.append(current)
            current = []
        current.append(unit)
    runs.append(current)
    return [run for run in runs if any(unit.parts for unit in run)]


_Match = tuple[int, int, str, tuple[tuple[int, int], ...]]  # start, end, term, the span behind each character


def _matches(text: str, run: list[_Unit], index: _Index) -> list[_Match]:
    found: list[_Match] = []
    for first in range(len(run)):
        size = 0
        for last in range(first, len(run)):
            unit = run[last]
            size += 1 if unit.parts is None else len(unit.parts)
            if size > MAX_TERM:
                break
            window = run[first : last + 1]
            if size < 2 or not any(u.parts for u in window) or _loose(window):
                continue
            for term in _candidates(text, window, size, index):
                if _spells(text, window, index.spelt[term], term):
                    behind = [(u.start, u.end) for u in window for _ in (u.parts or "x")]
                    found.append((window[0].start, window[-1].end, term, tuple(behind)))
    return found


def _loose(window: list[_Unit]) -> bool:
    """Whether initials alone stand for too much of the window: a letter guesses at a syllable, so a run read
    from initials needs as many of the term's characters, and its first character written (怀y, 艾z病; not the
    label or unit in b类, g大屏, or yt的)."""
    parts = [kind for unit in window for kind, _ in unit.parts or ()]
    if "syl" in parts:
        return False
    return window[0].parts is not None or len(window) - sum(u.parts is not None for u in window) < len(parts)


def _candidates(text: str, window: list[_Unit], size: int, index: _Index) -> tuple[str, ...]:
    position = 0
    for unit in window:
        if unit.parts is None:
            return index.by_char.get((size, position, text[unit.start]), ())
        position += len(unit.parts)
    # pinyin alone: two syllables typed apart in lower case, one segment between Chinese characters, or between
    # one and the message's start or end ("huan jie明天就投")
    (unit,) = window
    parts = unit.parts or ()
    if size != 2 or not unit.lower or any(kind != "syl" for kind, _ in parts) or " " not in text[unit.start : unit.end]:
        return ()
    before = unit.start == 0 or _HAN_CHAR.match(text[unit.start - 1])
    after = unit.end == len(text) or _HAN_CHAR.match(text[unit.end])
    if not (before and after):
        return ()
    return index.pairs.get((parts[0][1], parts[1][1]), ())


def _spells(text: str, window: list[_Unit], spelling: tuple[str, ...], term: str) -> bool:
    position = 0
    for unit in window:
        if unit.parts is None:
            if text[unit.start] != term[position]:
                return False
            position += 1
            continue
        for kind, value in unit.parts:
            wanted = spelling[position]
            if (kind == "syl" and value != wanted) or (kind == "ini" and not wanted.startswith(value)):
                return False
            position += 1
    return True


class Respelled(NormText):
    """Normalised text with spans written as the terms they spell; spans map back through the text it came from."""

    __slots__ = ("_base", "_ends", "_starts")

    def __init__(self, base: NormText, replaced: list[_Match]) -> None:
        parts: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        position = 0
        for start, end, term, behind in replaced:
            parts.append(base.text[position:start])
            starts += range(position, start)
            ends += range(position + 1, start + 1)
            parts.append(term)
            starts += [low for low, _ in behind]  # a character written in pinyin stands for its whole segment
            ends += [high for _, high in behind]
            position = end
        parts.append(base.text[position:])
        starts += range(position, len(base.text))
        ends += range(position + 1, len(base.text) + 1)
        super().__init__(base.original, "".join(parts), base.text, None)
        self._base, self._starts, self._ends = base, starts, ends

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        first, last = self._starts[start], self._ends[end - 1]
        return self._base.to_original(first, first + 1)[0], self._base.to_original(last - 1, last)[1]


__all__ = ["MixedReader", "Respelled", "beside_han"]
