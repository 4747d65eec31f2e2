"""Real-name remarks (xy-2): does a member's display name in a group carry their registered name?

A remark format is a template over the person's register fields: ``{unit}-{name}``, ``{name}``,
``{name}({unit})``… The Chinese field names work too (``单位-姓名``, ``姓名``, ``工号``). Remarks are compared
after width folding (full-width → ASCII) and with any run of separators (spaces, dashes, underscores,
slashes) taken as one, so ``财政局－张三`` and ``财政局 张三`` both match ``单位-姓名``.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from qingfeng.ingest.people import Person

DEFAULT_FORMATS = ("{unit}-{name}", "{name}")
FIELDS = {"name": "姓名", "unit": "单位", "id": "工号"}
_CHINESE_FIELD = re.compile("|".join(FIELDS.values()))
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―_/\\|~]+")


def _fold(text: str) -> str:
    return _SEPARATORS.sub("-", unicodedata.normalize("NFKC", text).casefold()).strip("-")


@dataclass(frozen=True)
class RemarkFormat:
    template: str  # with {placeholders}

    @classmethod
    def parse(cls, text: str) -> RemarkFormat:
        """'单位-姓名' or '{unit}-{name}' → RemarkFormat; ValueError naming what is wrong."""
        template = text.strip()
        if "{" not in template:
            by_word = {word: key for key, word in FIELDS.items()}
            template = _CHINESE_FIELD.sub(lambda match: "{" + by_word[match.group()] + "}", template)
        try:
            names = [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
        except ValueError as error:
            raise ValueError(f"remark format {text!r}: {error}") from None
        unknown = sorted(set(names) - set(FIELDS))
        if unknown:
            raise ValueError(f"remark format {text!r}: unknown field(s) {', '.join(unknown)}; known: name, unit, id")
        if "name" not in names:
            raise ValueError(f"remark format {text!r} must contain the name ({{name}} or 姓名)")
        return cls(template)

    def expected(self, person: Person) -> str | None:
        """The remark this format gives the person, or None where the register lacks a field it needs."""
        values = {"name": person.name, "unit": person.unit, "id": person.id}
        if any(not values[name] for _, name, _, _ in string.Formatter().parse(self.template) if name):
            return None
        return self.template.format_map(values)


def parse_formats(texts: Sequence[str]) -> tuple[RemarkFormat, ...]:
    return tuple(RemarkFormat.parse(text) for text in texts)


def expected_remarks(person: Person, formats: Sequence[RemarkFormat]) -> list[str]:
    return [remark for remark in (fmt.expected(person) for fmt in formats) if remark is not None]


def carries_real_name(remark: str, person: Person, formats: Sequence[RemarkFormat]) -> bool:
    folded = _fold(remark)
    return any(folded == _fold(expected) for expected in expected_remarks(person, formats))
