"""Command-line option values shared by several sub-commands."""

from __future__ import annotations

from datetime import date

import typer

from qingfeng.workcal import today


def parse_day(text: str | None, hint: str, *, allow_none: bool = False) -> date | None:
    """A YYYY-MM-DD option: absent means today; ``none`` (where allowed) means no day at all."""
    if text is None:
        return today()
    if allow_none and text.lower() == "none":
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        expected = "YYYY-MM-DD or none" if allow_none else "YYYY-MM-DD"
        raise typer.BadParameter(f"expected {expected}, not {text!r}", param_hint=hint) from None
