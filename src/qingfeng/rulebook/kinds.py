"""One registry of rule kinds for the three inputs: messages, group registers and ledgers.

A kind declares the input it reads and the pydantic Spec its rules' ``detector:`` must validate into (unknown
keys are errors). The rulebook loader validates every rule against it when the rulebook loads, so a misspelt
option fails there, naming the file and the rule, whichever runtime would run the rule later.

The modules that define the built-in kinds register them on import; they are named here as data (not
imported at the top) because they sit above the rulebook. Third-party message kinds come from the
``qingfeng.detectors`` entry-point group.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from importlib import import_module
from typing import Any, Literal

from pydantic import BaseModel

Input = Literal["message", "ledger", "groups"]

# The modules whose import registers the built-in kinds of each input.
_BUILT_IN: dict[str, tuple[str, ...]] = {
    "message": ("qingfeng.detectors",),
    "groups": ("qingfeng.groups.activity", "qingfeng.groups.register_audits"),
    "ledger": ("qingfeng.ledger.rules",),
}
# How an error names a kind of each input (the words the runtimes used before they shared this registry).
NOUN = {"message": "detector kind", "groups": "group audit kind", "ledger": "ledger detector kind"}


@dataclass(frozen=True)
class RuleKind:
    """A kind of rule: its input, its spec and what runs it (a detector class, an audit function, a query)."""

    input: Input
    name: str
    spec: type[BaseModel]
    runner: Any = None


_REGISTRY: dict[tuple[str, str], RuleKind] = {}
_imported: set[str] = set()
_plugins_loaded = False


def register_kind(kind: RuleKind) -> RuleKind:
    key = (kind.input, kind.name)
    known = _REGISTRY.get(key)
    if known is not None and known.runner is not kind.runner:
        raise ValueError(f"{NOUN[kind.input]} {kind.name!r} registered twice")
    _REGISTRY[key] = kind
    return kind


def rule_kinds(input_kind: Input, needed: Iterable[str] | None = None) -> dict[str, RuleKind]:
    """Every registered kind of one input: the built-in ones plus installed plugins. Only that input's
    built-in modules are imported; the installed plugins are looked up (a scan of every installed package)
    only when ``needed`` is not given or names a kind that is not built in."""
    global _plugins_loaded
    if input_kind not in _imported:
        for module in _BUILT_IN[input_kind]:
            import_module(module)
        _imported.add(input_kind)
    kinds = {name: kind for (kind_input, name), kind in _REGISTRY.items() if kind_input == input_kind}
    if not _plugins_loaded and (needed is None or not kinds.keys() >= set(needed)):
        from importlib.metadata import entry_points

        for entry in entry_points(group="qingfeng.detectors"):
            entry.load()
        _plugins_loaded = True
        kinds = {name: kind for (kind_input, name), kind in _REGISTRY.items() if kind_input == input_kind}
    return kinds


def validate_detector(input_kind: Input, detector: dict[str, Any]) -> BaseModel:
    """The rule's ``detector:`` as its kind's typed spec; ValueError (naming the kind or option) if it is not."""
    name = detector["kind"]
    kinds = rule_kinds(input_kind, (name,))
    if name not in kinds:
        raise ValueError(f"unknown {NOUN[input_kind]} {name!r}; known: {', '.join(sorted(kinds))}")
    return kinds[name].spec.model_validate(detector)
