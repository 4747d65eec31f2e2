"""The Jinja environment every self-contained HTML report renders with (scan, group audit, ledger)."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape


@cache
def report_environment(package: str) -> Environment:
    """Templates in ``package``'s ``templates`` folder, escaped, strict about missing names."""
    return Environment(
        loader=PackageLoader(package, "templates"),
        autoescape=select_autoescape(default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
