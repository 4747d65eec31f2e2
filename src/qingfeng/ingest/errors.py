"""Bad input, reported with the file, line and field it came from, in the reader's language."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from qingfeng.core.i18n import has_text, t


@dataclass(frozen=True)
class InputProblem:
    """``reason`` is the English wording; ``key`` (an ``input.*`` text) and ``params`` give every language's."""

    path: str
    line: int | None
    field: str | None
    reason: str
    key: str | None = field(default=None, compare=False)
    params: tuple[tuple[str, Any], ...] = field(default=(), compare=False)
    more: int = field(default=0, compare=False)  # bad rows after this one, for an error that names the first

    @classmethod
    def of(cls, path: str, line: int | None, field: str | None, key: str, **params: Any) -> InputProblem:
        """A problem worded by the ``input.KEY`` text (``got``: the value found, shown after it)."""
        return cls(path, line, field, _reason(key, "en", params), key, tuple(params.items()))

    def describe(self, lang: str = "en", names: Mapping[str, str] | None = None) -> str:
        """The problem for a person: the file as they named it (``names`` maps a saved path to that name)."""
        path = (names or {}).get(self.path, self.path)
        reason = _reason(self.key, lang, dict(self.params)) if self.key else self.reason
        if self.more:
            reason += t("input.more", lang, n=self.more)
        if lang == "en":
            where = path if self.line is None else f"{path}:{self.line}"
            return f"{where}: {self.field}: {reason}" if self.field else f"{where}: {reason}"
        where = path if self.line is None else f"{path} 第 {self.line} 行"
        return f"{where}，「{self.field}」：{reason}" if self.field else f"{where}：{reason}"

    def __str__(self) -> str:
        return self.describe("en")


def _reason(key: str, lang: str, params: Mapping[str, Any]) -> str:
    words = {name: value for name, value in params.items() if name != "got"}
    got = params.get("got")
    return t(f"input.{key}", lang, **words) + (t("input.got", lang, got=got) if got else "")


class InputError(ValueError):
    """Input that cannot be read at all (a missing file, an unknown format, no usable record)."""

    def __init__(self, problem: InputProblem) -> None:
        super().__init__(str(problem))
        self.problem = problem

    def describe(self, lang: str = "en", names: Mapping[str, str] | None = None) -> str:
        return self.problem.describe(lang, names)


# pydantic's error types → the ``input.*`` text that says the same to a person
_PYDANTIC_KEYS = {
    "missing": "missing",
    "string_too_short": "empty",
    "bool_parsing": "yes_no",
    "bool_type": "yes_no",
    "literal_error": "one_of",
}


def _key_of(error_type: str) -> str | None:
    if error_type in _PYDANTIC_KEYS:
        return _PYDANTIC_KEYS[error_type]
    if error_type.startswith(("float_", "int_", "finite_number")):
        return "number"
    if error_type.startswith("datetime_"):
        return "time"
    if error_type.startswith("date_"):
        return "date"
    return None


def problems_from_validation(path: str, line: int | None, error: ValidationError,
                             columns: Mapping[str, str] | None = None) -> InputProblem:
    """The first field pydantic rejected, in words a user can act on; ``columns`` (field → the file's column)
    names the field as the file's header does (建群日期, not created)."""
    first = error.errors()[0]
    field = ".".join(str(part) for part in first["loc"]) or None
    if field is not None and columns:
        field = columns.get(field, field)
    value = first.get("input")
    got = repr(value) if value is not None and not isinstance(value, dict | list) else ""
    key = _key_of(first["type"])
    if key == "one_of":
        return InputProblem.of(path, line, field, key, got=got, expected=first.get("ctx", {}).get("expected", ""))
    if key is not None:
        return InputProblem.of(path, line, field, key, got=got)
    # A validator of ours raises ValueError("input.KEY") where the words are in i18n.
    message = str(first.get("ctx", {}).get("error", ""))
    if message.startswith("input.") and has_text(message):
        return InputProblem.of(path, line, field, message.removeprefix("input."), got=got)
    shown = f" (got {got})" if got else ""
    return InputProblem(path, line, field, f"{first['msg']}{shown}")
