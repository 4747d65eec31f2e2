"""Bad input, reported with the file, line and field it came from."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError


@dataclass(frozen=True)
class InputProblem:
    path: str
    line: int | None
    field: str | None
    reason: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.field}: {self.reason}" if self.field else f"{where}: {self.reason}"


class InputError(ValueError):
    """Input that cannot be read at all (a missing file, an unknown format, no usable record)."""

    def __init__(self, problem: InputProblem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def problems_from_validation(path: str, line: int | None, error: ValidationError) -> InputProblem:
    """The first field pydantic rejected, in words a user can act on."""
    first = error.errors()[0]
    field = ".".join(str(part) for part in first["loc"]) or None
    value = first.get("input")
    shown = f" (got {value!r})" if value is not None and not isinstance(value, dict | list) else ""
    return InputProblem(path, line, field, f"{first['msg']}{shown}")
