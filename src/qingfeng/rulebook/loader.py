"""Load the rulebook: rules, shared vocabularies and the clause catalogue, all YAML data.

Layout (package data, extendable with more rule folders):
  sources.yaml      every clause of the source codes, with its wording and coverage
  vocab/NAME.yaml   named term lists, referred to as ``@NAME.key`` from any rule
  rules/*.yaml      a list of rules each
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from qingfeng import __version__
from qingfeng.core.models import CATEGORIES
from qingfeng.rulebook.kinds import validate_detector
from qingfeng.rulebook.schema import Localized, Rule
from qingfeng.text.normalize import holds_emoji_stand_in, normalize_term
from qingfeng.text.pinyin import spellings

PACKAGE_DIR = Path(__file__).parent


class RulebookError(ValueError):
    """A malformed rulebook file; the message names the file and, where known, the rule."""


class CoverageEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    status: Literal["checked", "guidance", "not-checked"]
    category: str | None = None
    part_en: str | None = None
    part_zh: str | None = None
    reason: Literal["political-opinion", "policy-criticism", "belief", "assembly", "private-speech"] | None = None
    reason_en: str | None = None
    reason_zh: str | None = None


class Clause(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    document: str
    text_zh: str
    gist_zh: str
    gist_en: str
    coverage_text: str
    coverage: list[CoverageEntry] = Field(min_length=1)
    advice_zh: str | None = None
    advice_en: str | None = None

    def gist(self, lang: str) -> str:
        return self.gist_en if lang == "en" else self.gist_zh

    @property
    def checked_categories(self) -> list[str]:
        return [entry.category for entry in self.coverage if entry.status == "checked" and entry.category]


class Document(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title_zh: str
    title_en: str
    issuer_zh: str
    issuer_en: str
    date: str
    seeds: list[str]


class _Catalogue(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int
    documents: list[Document]
    clauses: list[Clause]


@dataclass(frozen=True)
class Rulebook:
    rules: tuple[Rule, ...]
    clauses: dict[str, Clause]
    documents: dict[str, Document]
    vocabulary: dict[str, tuple[str, ...]]
    version: str
    files: dict[str, str] = field(default_factory=dict)  # rule id → the file it came from
    specs: dict[str, Any] = field(default_factory=dict)  # rule id → its detector as its kind's typed Spec

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id.upper():
                return rule
        raise KeyError(rule_id)

    def rules_for(self, input_kind: str) -> list[Rule]:
        return [rule for rule in self.rules if rule.input == input_kind and rule.status != "deprecated"]

    def rules_citing(self, clause_id: str) -> list[Rule]:
        return [rule for rule in self.rules if clause_id in rule.sources]

    def expand(self, terms: Iterable[str], *, where: str = "") -> list[str]:
        """Normalised terms, with ``@name`` references replaced by their vocabulary."""
        found: dict[str, None] = {}
        for term in terms:
            if term.startswith("@"):
                name = term[1:]
                if name not in self.vocabulary:
                    raise RulebookError(f"{where}: unknown vocabulary {term!r}")
                for item in self.expand(self.vocabulary[name], where=where):
                    found[item] = None
            else:
                variants = [variant for variant in normalize_term(term) if variant]
                if any(holds_emoji_stand_in(variant) for variant in variants):
                    raise RulebookError(
                        f"{where}: term {term!r} holds an emoji the normaliser treats as any emoji; "
                        "name only emoji listed in text/normalize.py _MEANINGFUL_EMOJI"
                    )
                found.update(dict.fromkeys(variants))
                # the same word written wholly in pinyin ("ni ta ma de"), for terms long or strong enough
                found.update(dict.fromkeys(spellings(variants[0], pair=variants[0] in self._pinyin_pairs)))
        return list(found)

    @cached_property
    def _pinyin_pairs(self) -> frozenset[str]:
        """Two-syllable terms strong enough to be matched in pinyin too (``@common.pinyin_pairs``)."""
        return frozenset(self.vocabulary.get("common.pinyin_pairs", ()))


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        raise RulebookError(f"{where}: not valid YAML: {getattr(error, 'problem', error)}") from None
    except OSError as error:
        raise RulebookError(f"{path}: cannot read: {error.strerror}") from None


def _describe(error: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(part) for part in item['loc']) or '(rule)'}: {item['msg']}" for item in error.errors()
    )


def _load_catalogue(path: Path) -> _Catalogue:
    try:
        return _Catalogue.model_validate(_read_yaml(path))
    except ValidationError as error:
        raise RulebookError(f"{path}: {_describe(error)}") from None


def _load_vocabulary(folder: Path) -> dict[str, tuple[str, ...]]:
    vocabulary: dict[str, tuple[str, ...]] = {}
    for path in sorted(folder.glob("*.yaml")):
        data = _read_yaml(path) or {}
        if not isinstance(data, dict):
            raise RulebookError(f"{path}: a vocabulary file maps names to lists of terms")
        for key, terms in data.items():
            if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
                raise RulebookError(f"{path}: vocabulary {key!r} must be a list of strings")
            vocabulary[f"{path.stem}.{key}"] = tuple(terms)
    return vocabulary


def _load_rules(paths: Sequence[Path]) -> tuple[list[Rule], dict[str, str]]:
    rules: list[Rule] = []
    files: dict[str, str] = {}
    for path in paths:
        data = _read_yaml(path)
        if not isinstance(data, list):
            raise RulebookError(f"{path}: a rules file holds a list of rules")
        for number, raw in enumerate(data, start=1):
            rule_id = raw.get("id", f"#{number}") if isinstance(raw, dict) else f"#{number}"
            try:
                rule = Rule.model_validate(raw)
            except ValidationError as error:
                raise RulebookError(f"{path}: rule {rule_id}: {_describe(error)}") from None
            if rule.id in files:
                raise RulebookError(f"{path}: rule {rule.id}: id already used in {files[rule.id]}")
            files[rule.id] = str(path)
            rules.append(rule)
    return rules, files


def _validate_detectors(rules: Sequence[Rule], files: dict[str, str]) -> dict[str, Any]:
    """Every rule's ``detector:`` validated into its kind's Spec, so a bad option fails at load."""
    specs: dict[str, Any] = {}
    for rule in rules:
        where = f"{files[rule.id]}: rule {rule.id}"
        try:
            specs[rule.id] = validate_detector(rule.input, rule.detector)
        except ValidationError as error:
            raise RulebookError(f"{where}: detector: {error}") from None
        except ValueError as error:
            raise RulebookError(f"{where}: {error}") from None
    return specs


def _check_references(rulebook: Rulebook) -> None:
    for rule in rulebook.rules:
        where = f"{rulebook.files[rule.id]}: rule {rule.id}"
        for clause_id in rule.sources:
            if clause_id not in rulebook.clauses:
                raise RulebookError(f"{where}: unknown source clause {clause_id!r}")
    for clause in rulebook.clauses.values():
        if clause.document not in rulebook.documents:
            raise RulebookError(f"sources.yaml: clause {clause.id}: unknown document {clause.document!r}")
        for entry in clause.coverage:
            if entry.status == "checked" and entry.category not in CATEGORIES:
                raise RulebookError(f"sources.yaml: clause {clause.id}: unknown category {entry.category!r}")


def load_rulebook(extra_rule_dirs: Sequence[Path] = (), base: Path = PACKAGE_DIR) -> Rulebook:
    catalogue = _load_catalogue(base / "sources.yaml")
    rule_paths = sorted((base / "rules").glob("*.yaml"))
    for folder in extra_rule_dirs:
        if not folder.is_dir():
            raise RulebookError(f"{folder}: no such rules folder")
        rule_paths += sorted(folder.glob("*.yaml"))
    rules, files = _load_rules(rule_paths)
    digest = hashlib.sha256()
    for path in [base / "sources.yaml", *sorted((base / "vocab").glob("*.yaml")), *rule_paths]:
        digest.update(path.read_bytes())
    rulebook = Rulebook(
        rules=tuple(sorted(rules, key=lambda rule: rule.id)),
        clauses={clause.id: clause for clause in catalogue.clauses},
        documents={document.id: document for document in catalogue.documents},
        vocabulary=_load_vocabulary(base / "vocab"),
        version=f"{__version__}+{digest.hexdigest()[:12]}",
        files=files,
        specs=_validate_detectors(rules, files),
    )
    _check_references(rulebook)
    return rulebook


@cache
def default_rulebook() -> Rulebook:
    """The package's rulebook, or the folder laid out like it that ``QINGFENG_RULEBOOK`` names (an office's
    edited copy: every command then reads its rules and severities)."""
    folder = os.environ.get("QINGFENG_RULEBOOK")
    return load_rulebook(base=Path(folder)) if folder else load_rulebook()


__all__ = ["Clause", "Document", "Localized", "Rulebook", "RulebookError", "default_rulebook", "load_rulebook"]
