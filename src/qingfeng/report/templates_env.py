"""The Jinja environment every self-contained HTML report renders with (scan, group audit, ledger)."""

from __future__ import annotations

import os
from datetime import datetime
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from qingfeng.core.models import DEFAULT_ZONE


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


def generated_at() -> str:
    """When a report was made, China time. ``SOURCE_DATE_EPOCH`` (the reproducible-builds convention) fixes it,
    so that the same input gives the same file."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    moment = datetime.fromtimestamp(int(epoch), DEFAULT_ZONE) if epoch.isdigit() else datetime.now(DEFAULT_ZONE)
    return moment.strftime("%Y-%m-%d %H:%M")
