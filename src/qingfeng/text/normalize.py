"""Normalise message text for matching, keeping a map back to the original characters.

Steps, in order:
1. per character: NFKC compatibility mapping (full-width → ASCII, circled digits, Kangxi radicals),
   traditional → simplified (OpenCC's t2s table), lower case;
2. filler (spaces, symbols, emoji) inserted inside a word or a digit run is dropped
   (``机*密`` → ``机密``, ``138 1234 5678`` → ``13812345678``);
3. runs of Chinese numerals are written as digits (``壹叁捌…`` → ``138…``);
4. a text written in Cantonese reads as Mandarin (``佢唔喺度`` → ``他不在度``: ``qingfeng.text.cantonese``).

Texts are normalised in batches: every regular-expression pass runs once over the batch joined by NUL,
which costs far less than one call per message. Most messages need no per-character work at all, and the
map back to the original is only built for the few that produce a finding.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from functools import cache
from itertools import accumulate, groupby

import opencc

from qingfeng.core.cache import cached
from qingfeng.text import cantonese
from qingfeng.text.joined import JOIN

HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff"
_WHITESPACE = " \t\n\r\x0b\x0c\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_INVISIBLE = "\u200b-\u200f\u2060\ufeff"
_SYMBOL_EMOJI = "\u2600-\u2604\u2607-\u27bf\u2b00-\u2bff\ufe0f\u20e3"
# Astral emoji are first replaced by this BMP stand-in, so that every class below stays in the BMP,
# which the regex engine compiles into a constant-time bitmap.
_EMOJI_STAND_IN = "\ufffc"
_ASTRAL_EMOJI = re.compile("[\U0001f000-\U0001faff]")
# Emoji that carry meaning in this domain (adult content, money, drugs, weapons) keep it: each becomes its
# own private-use character, one for one, so lexicon terms can name them.
_MEANINGFUL_EMOJI = "🔞🍆💦🍑🍌🥵👙💋🧧💰💵💴💸🤑🎰🎲🃏💊💉🌿🍃🍁🔫💣🔪🐶🐷❄😏"
_EMOJI_MEANINGS = {emoji: chr(0xE000 + n) for n, emoji in enumerate(_MEANINGFUL_EMOJI)}
# Replaced where a regex finds an emoji (str.translate would look up every character). The class is the
# ranges holding them: a class of many single astral characters is itself slow to search.
_EMOJI_RANGES = "".join(sorted({"\U0001f000-\U0001faff" if ord(e) > 0xFFFF else e for e in _MEANINGFUL_EMOJI}))
_MAYBE_MEANINGFUL = re.compile(f"[{_EMOJI_RANGES}]")
_FILLER = rf"{_WHITESPACE}{_INVISIBLE}{_SYMBOL_EMOJI}{_EMOJI_STAND_IN}*\-_.·•・|/\\~^+=#`'\"～﹏‧∙⋅°"
# Inside a digit run only these count as filler: "." and "/" carry meaning there (3.5, 3/10).
_DIGIT_FILLER = rf"{_WHITESPACE}{_INVISIBLE}*\-_·•・"
# Dropped in this order. Each pattern opens with a character class rather than a look-behind so the
# regex engine can skip ahead quickly; one alternation of all three would lose that.
_INSERTED_FILLER = (
    re.compile(
        rf"[{_FILLER}](?:(?<=[{HAN}][{_FILLER}])[{_FILLER}]*(?=[{HAN}0-9a-z])"
        rf"|(?<=[0-9a-z][{_FILLER}])[{_FILLER}]*(?=[{HAN}]))"
    ),
    # Digit groups of up to 8 join (138 1234 5678, 410102 19870620 3959); a longer group next to another
    # is a different number ("ID phone"), so it stays apart.
    re.compile(
        rf"[{_DIGIT_FILLER}](?<=[0-9][{_DIGIT_FILLER}])(?<![0-9]{{9}}[{_DIGIT_FILLER}])"
        rf"[{_DIGIT_FILLER}]*(?=[0-9]{{1,8}}(?![0-9]))"
    ),
    re.compile("[,，](?<=[0-9][,，])(?=[0-9]{3})"),
)
_NUMERALS = "〇零一二三四五六七八九壹贰叁肆伍陆柒捌玖幺两"
_NUMERAL_DIGITS = str.maketrans(_NUMERALS, "0012345678912345678912")
# Four or more numerals in a row spell a number digit by digit (a phone, an ID); shorter runs are
# words (一点心意, 三五成群) and stay as they are.
_NUMERAL_RUN = re.compile(f"[{_NUMERALS}]{{4,}}")
# Full-width punctuation is left alone: patterns accept both forms, and mapping it would send nearly
# every Chinese message down the slow per-character path.
_PUNCTUATION_KEPT = frozenset(
    [*range(0xFF01, 0xFF10), *range(0xFF1A, 0xFF21), *range(0xFF3B, 0xFF41), *range(0xFF5B, 0xFF66), 0x3000]
)
# Expanding these would move offsets for no gain in matching.
_KEEP_AS_IS = frozenset(map(ord, "…‥"))
_ASTRAL_RANGES = ((0x1D400, 0x1D800), (0x1F100, 0x1F200), (0x2F800, 0x2FA20))


class _CharacterTables:
    """The one-to-one character table, and a pattern finding every character that step 1 changes."""

    def __init__(self) -> None:
        t2s = opencc.OpenCC("t2s.json")
        candidates = "".join(chr(cp) for cp in range(0x3400, 0xA000))
        simplified = t2s.convert("\n".join(candidates)).split("\n")
        to_simplified = {
            ord(trad): simp for trad, simp in zip(candidates, simplified, strict=True) if len(simp) == 1
        }
        self.one_to_one: dict[int, str] = {}
        changing: set[int] = set()
        expanding: list[str] = []
        code_points = [*range(0x80, 0x3400), *range(0xA000, 0x10000)]
        code_points += [cp for low, high in _ASTRAL_RANGES for cp in range(low, high)]
        for cp in code_points:
            if cp in _KEEP_AS_IS or cp in _PUNCTUATION_KEPT or 0xD800 <= cp < 0xE000:
                continue
            mapped = unicodedata.normalize("NFKC", chr(cp))
            if len(mapped) == 1:
                mapped = _simple(mapped, to_simplified)
                if mapped == chr(cp):
                    continue
                self.one_to_one[cp] = mapped
            else:
                expanding.append(re.escape(chr(cp)))
            changing.add(cp)
        for cp, simp in to_simplified.items():
            if simp != chr(cp):
                self.one_to_one[cp] = _simple(simp, to_simplified)
                changing.add(cp)
        bmp = _ranges(sorted(cp for cp in changing if cp < 0x10000))
        astral = "".join(f"{re.escape(chr(low))}-{re.escape(chr(high - 1))}" for low, high in _ASTRAL_RANGES)
        # Kept apart because a BMP-only class compiles into a constant-time bitmap.
        self.changing_bmp = re.compile(f"[{bmp}]")
        self.changing_astral = re.compile(f"[{astral}]")
        self.expanding = re.compile(f"[{''.join(expanding)}]")

    def changed_positions(self, text: str) -> list[int]:
        found = [m.start() for m in self.changing_bmp.finditer(text)]
        if not text.isascii():
            found += [m.start() for m in self.changing_astral.finditer(text)]
        return found

    def map_characters(self, text: str) -> tuple[str, list[int] | None]:
        """Step 1 for one text; the index is None while every character maps to exactly one."""
        if not self.expanding.search(text):
            return text.translate(self.one_to_one), None
        chars: list[str] = []
        index: list[int] = []
        for position, char in enumerate(text):
            mapped = self.one_to_one.get(ord(char)) or char
            if self.expanding.match(char):
                mapped = unicodedata.normalize("NFKC", char).translate(self.one_to_one)
            chars.append(mapped)
            index.extend([position] * len(mapped))
        return "".join(chars), index


def _ranges(code_points: list[int]) -> str:
    """A character class's body for these sorted code points, runs written as ranges: the same set, and far
    quicker to compile (every start compiles it again)."""
    parts: list[str] = []
    for _, run in groupby(enumerate(code_points), key=lambda item: item[1] - item[0]):
        first, *rest = (cp for _, cp in run)
        last = rest[-1] if rest else first
        parts.append(re.escape(chr(first)) + (f"-{re.escape(chr(last))}" if last > first else ""))
    return "".join(parts)


@cache
def _tables() -> _CharacterTables:
    # Built from every code point once, then read from the user's cache (its patterns recompile from text).
    key = f"{opencc.__version__}|{unicodedata.unidata_version}"
    return cached("characters", key, _CharacterTables)


def _simple(char: str, to_simplified: dict[int, str]) -> str:
    char = to_simplified.get(ord(char), char)
    lowered = char.lower()
    return lowered if len(lowered) == 1 else char


class NormText:
    """Normalised text, able to map its spans back to the original.

    The map is built only when asked for: most messages never produce a finding.
    """

    __slots__ = ("_index", "_mapped", "_mapped_index", "original", "text")

    def __init__(self, original: str, text: str, mapped: str, mapped_index: list[int] | None) -> None:
        self.original = original
        self.text = text
        self._mapped = mapped  # after step 1, before filler is dropped
        self._mapped_index = mapped_index
        self._index: list[int] | None = None

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of the normalised text (end exclusive, non-empty) to a span of the original."""
        if len(self.text) == len(self._mapped) and self._mapped_index is None:
            return start, end
        if self._index is None:
            self._index = self._build_index()
        return self._index[start], self._index[end - 1] + 1

    def _build_index(self) -> list[int]:
        text = _ASTRAL_EMOJI.sub(_EMOJI_STAND_IN, _with_emoji_meanings(self._mapped))
        index: list[int] = self._mapped_index or list(range(len(text)))
        for pattern in _INSERTED_FILLER:
            kept: list[int] = []
            position = 0
            for match in pattern.finditer(text):
                kept.extend(index[position : match.start()])
                position = match.end()
            kept.extend(index[position:])
            text, index = pattern.sub("", text), kept
        return index

    def __repr__(self) -> str:
        return f"NormText({self.text!r})"


def normalize(original: str) -> NormText:
    return normalize_many([original])[0]


def normalize_many(originals: Sequence[str]) -> list[NormText]:
    if not originals:
        return []
    tables = _tables()
    # NUL joins the batch; a text that carries one of its own gets a space instead (same length).
    texts = [text.replace(JOIN, " ") if JOIN in text else text for text in originals]
    joined = JOIN.join(texts)
    lowered = joined.lower()
    if len(lowered) == len(joined):
        mapped = lowered.split(JOIN)
    else:  # a handful of letters (İ) lower-case into two characters: those stay as they are
        mapped = [_lower_keeping_length(text) for text in texts]
        lowered = JOIN.join(mapped)
    mapped_index: dict[int, list[int]] = {}
    changed = tables.changed_positions(lowered)
    if changed:
        starts = list(accumulate((len(text) + 1 for text in mapped), initial=0))
        for number in sorted({bisect_right(starts, position) - 1 for position in changed}):
            mapped[number], index = tables.map_characters(mapped[number])
            if index is not None:
                mapped_index[number] = index
    work = JOIN.join(mapped)
    if not work.isascii():
        work = _ASTRAL_EMOJI.sub(_EMOJI_STAND_IN, _with_emoji_meanings(work))
    for pattern in _INSERTED_FILLER:
        work = pattern.sub("", work)
    work = _NUMERAL_RUN.sub(_numerals_to_digits, work)
    finals = work.split(JOIN)
    if cantonese.MARK.search(work):
        finals = [cantonese.read(final) if cantonese.MARK.search(final) else final for final in finals]
    return [
        NormText(original, final, pre_filler, mapped_index.get(number))
        for number, (original, final, pre_filler) in enumerate(zip(originals, finals, mapped, strict=True))
    ]


def _with_emoji_meanings(text: str) -> str:
    """Each meaningful emoji as its private-use character."""
    return _MAYBE_MEANINGFUL.sub(_emoji_meaning, text)


def _emoji_meaning(match: re.Match[str]) -> str:
    emoji = match.group()
    return _EMOJI_MEANINGS.get(emoji, emoji)


def _lower_keeping_length(text: str) -> str:
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(char.lower() if len(char.lower()) == 1 else char for char in text)


def _numerals_to_digits(match: re.Match[str]) -> str:
    return match.group().translate(_NUMERAL_DIGITS)


_HALF_WIDTH = "".join(chr(cp - 0xFEE0) for cp in sorted(_PUNCTUATION_KEPT) if cp != 0x3000)
_FULL_WIDTH = "".join(chr(cp) for cp in sorted(_PUNCTUATION_KEPT) if cp != 0x3000)
_TO_FULL = str.maketrans(_HALF_WIDTH, _FULL_WIDTH)
_TO_HALF = str.maketrans(_FULL_WIDTH, _HALF_WIDTH)


def normalize_term(term: str) -> list[str]:
    """A lexicon term as it can appear in normalised text: the same steps apply, and since full-width
    punctuation is kept, a term holding punctuation matches in either width."""
    text = normalize(term).text
    return list(dict.fromkeys((text, text.translate(_TO_FULL), text.translate(_TO_HALF))))


def simplify_in_place(text: str) -> str:
    """Traditional characters and full-width forms simplified one for one: offsets into the result are
    offsets into ``text`` (for readers of a message's layout, such as the official-form analysis)."""
    return text.translate(_tables().one_to_one)


def holds_emoji_stand_in(text: str) -> bool:
    """Whether normalised text holds the placeholder that every emoji without a meaning of its own becomes."""
    return _EMOJI_STAND_IN in text
