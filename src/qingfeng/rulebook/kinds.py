"""One registry of rule kinds for the three inputs: messages, group registers and ledgers.

A kind declares the input it reads and the pydantic Spec its rules' ``detector:`` must validate into (unknown
keys are errors). The rulebook loader validates every rule against it when the rulebook loads, so a misspelt
option fails there, naming the file and the rule, whichever runtime would run the rule later.

The modules that define the built-in kinds register them on import; they are named here as data (not
imported at the top) because they sit above the rulebook. Third-party message kinds come from the
``qingfeng.detectors`` entry-point group.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from importlib.metadata import entry_points
from typing import Any, Literal

from pydantic import BaseModel

Input = Literal["message", "ledger", "groups"]

# The modules whose import registers the built-in kinds.
_BUILT_IN = ("qingfeng.detectors", "qingfeng.groups.activity", "qingfeng.groups.register_audits",
             "qingfeng.ledger.rules")
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
_loaded = False


def register_kind(kind: RuleKind) -> RuleKind:
    key = (kind.input, kind.name)
    known = _REGISTRY.get(key)
    if known is not None and known.runner is not kind.runner:
        raise ValueError(f"{NOUN[kind.input]} {kind.name!r} registered twice")
    _REGISTRY[key] = kind
    return kind


def rule_kinds(input_kind: Input) -> dict[str, RuleKind]:
    """Every registered kind of one input: the built-in ones plus installed plugins."""
    global _loaded
    if not _loaded:
        for module in _BUILT_IN:
            import_module(module)
        for entry in entry_points(group="qingfeng.detectors"):
            entry.load()
        _loaded = True
    return {name: kind for (kind_input, name), kind in _REGISTRY.items() if kind_input == input_kind}


def validate_detector(input_kind: Input, detector: dict[str, Any]) -> BaseModel:
    """The rule's ``detector:`` as its kind's typed spec; ValueError (naming the kind or option) if it is not."""
    kinds = rule_kinds(input_kind)
    name = detector["kind"]
    if name not in kinds:
        raise ValueError(f"unknown {NOUN[input_kind]} {name!r}; known: {', '.join(sorted(kinds))}")
    return kinds[name].spec.model_validate(detector)
