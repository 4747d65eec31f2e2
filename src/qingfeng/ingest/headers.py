"""Column names as exports and registers write them (Chinese headers, WeChat exporters' columns), mapped to the
canonical columns each reader uses; the names are data, in ``headers.yaml``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from importlib.resources import files
from typing import Any

from qingfeng.core.cache import yaml_data


@cache
def _spec() -> dict[str, Any]:
    return yaml_data(files("qingfeng.ingest").joinpath("headers.yaml").read_text(encoding="utf-8"))


def _key(name: str) -> str:
    # Exports differ in case and stray spaces (Content, 消息 内容); neither changes what a column holds.
    return "".join(name.split()).casefold()


def columns(kind: str | None, header: Sequence[str], explicit: Mapping[str, str] | None = None) -> dict[str, str]:
    """canonical column → the column of ``header`` holding it. ``explicit`` (``--columns``) comes first; then
    the canonical name itself; then the first alias the header has. Without a kind, the header as it is."""
    present: dict[str, str] = {}
    for name in header:
        present.setdefault(_key(name), name)
    found = {name: name for name in header} if kind is None else {}
    for canonical, aliases in (_spec()[kind]["columns"] if kind else {}).items():
        for name in (canonical, *aliases):
            if (column := present.get(_key(name))) is not None:
                found[canonical] = column
                break
    found.update({field: column for field, column in (explicit or {}).items() if column in header})
    return found


def values(kind: str | None) -> dict[str, dict[str, str]]:
    """canonical column → {value as written: value read}, for the columns whose values have other words."""
    return {column: {str(k): str(v) for k, v in mapping.items()}
            for column, mapping in (_spec()[kind].get("values", {}) if kind else {}).items()}


def dates(kind: str | None) -> frozenset[str]:
    """The canonical columns of ``kind`` that hold a date or a time."""
    return frozenset(_spec()[kind].get("dates", ())) if kind else frozenset()
