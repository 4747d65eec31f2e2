"""What detectors may consult besides the message: the working calendar, the send window, the people register.

The engine hands this mapping to every detector as ``doc.context`` (``Checker(context=...)``) and knows
nothing of its keys:

- ``calendar``: a ``WorkingCalendar`` (official holidays, 调休, a user's holiday file);
- ``window``: the daily ``Window`` for sending work messages (08:00–22:00 unless configured);
- ``people``: the people register, person id → ``Person`` (absent: nobody's rank is known).

A detector supplies its own default for a missing key. ``to_plain``/``from_plain`` carry a context to other
processes (Spark executors) as plain JSON-able data, the files having been read once where the run started.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from qingfeng.coach.workcal import Window, WorkingCalendar
from qingfeng.ingest.errors import InputProblem
from qingfeng.ingest.people import Person, read_people

CALENDAR = "calendar"
WINDOW = "window"
PEOPLE = "people"
# The register that the rulebook's examples assume (rules that need one say so in their description).
EXAMPLE_PEOPLE = Path(__file__).parent.parent / "rulebook" / "examples" / "people.csv"


def build_context(
    *, holidays: Path | None = None, window: str | None = None, people: Path | None = None
) -> tuple[dict[str, Any], list[InputProblem]]:
    """The context for a run, and the register rows that could not be used (to report; the rest is kept).

    Raises InputError for a holiday file with a bad row or a file that cannot be read, ValueError for a
    malformed window.
    """
    problems: list[InputProblem] = []
    calendar = WorkingCalendar.from_file(holidays) if holidays is not None else WorkingCalendar()
    context: dict[str, Any] = {CALENDAR: calendar, WINDOW: Window.parse(window) if window else Window()}
    if people is not None:
        register, bad = read_people(people)
        problems += bad
        context[PEOPLE] = register
    return context, problems


def example_context() -> dict[str, Any]:
    """The context in which the rulebook's examples are checked."""
    register, problems = read_people(EXAMPLE_PEOPLE)
    assert not problems, problems  # shipped data: a bad row is a bug
    return {PEOPLE: register}


def to_plain(context: Mapping[str, Any]) -> dict[str, Any]:
    """The context as plain data (str, bool, int, lists, dicts): no class of ours needs pickling."""
    plain: dict[str, Any] = {}
    if (calendar := context.get(CALENDAR)) is not None:
        plain[CALENDAR] = {day.isoformat(): list(entry) for day, entry in calendar.extra.items()}
    if (window := context.get(WINDOW)) is not None:
        plain[WINDOW] = str(window)
    if (people := context.get(PEOPLE)) is not None:
        plain[PEOPLE] = [person.model_dump(mode="json") for person in people.values()]
    return plain


def from_plain(plain: Mapping[str, Any]) -> dict[str, Any]:
    """The context that ``to_plain`` described."""
    context: dict[str, Any] = {}
    if CALENDAR in plain:
        context[CALENDAR] = WorkingCalendar({date.fromisoformat(day): (workday, name)
                                             for day, (workday, name) in plain[CALENDAR].items()})
    if WINDOW in plain:
        context[WINDOW] = Window.parse(plain[WINDOW])
    if PEOPLE in plain:
        context[PEOPLE] = {row["id"]: Person.model_validate(row) for row in plain[PEOPLE]}
    return context


def fallback_years(context: Mapping[str, Any]) -> list[int]:
    """Years judged Monday–Friday because no calendar knew them (to be said once per run)."""
    calendar = context.get(CALENDAR)
    return sorted(calendar.fallback_years) if calendar is not None else []


__all__ = ["CALENDAR", "EXAMPLE_PEOPLE", "PEOPLE", "WINDOW", "build_context", "example_context", "fallback_years",
           "from_plain", "to_plain"]
