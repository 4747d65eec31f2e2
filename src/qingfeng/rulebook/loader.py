"""Load the rulebook: rules, shared vocabularies and the clause catalogue, all YAML data.

Layout (package data, extendable with more rule folders):
  sources.yaml      every clause of the source codes, with its wording and coverage
  vocab/NAME.yaml   named term lists, referred to as ``@NAME.key`` from any rule
  rules/*.yaml      a list of rules each
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from qingfeng import __version__
from qingfeng.core.cache import YamlError, cached, parse_yaml
from qingfeng.core.models import CATEGORIES
from qingfeng.rulebook.kinds import rule_kinds, validate_detector
from qingfeng.rulebook.schema import Localized, Rule
from qingfeng.text.normalize import holds_emoji_stand_in, normalize_term

PACKAGE_DIR = Path(__file__).parent


class RulebookError(ValueError):
    """A malformed rulebook file; the message names the file and, where known, the rule."""


class CoverageEntry(BaseModel):
    # defer_build: the schema is built at the first validation, which a rulebook read from the cache never needs
    model_config = ConfigDict(extra="forbid", defer_build=True, frozen=True)

    status: Literal["checked", "guidance", "not-checked"]
    category: str | None = None
    part_en: str | None = None
    part_zh: str | None = None
    reason: Literal["political-opinion", "policy-criticism", "belief", "assembly", "private-speech"] | None = None
    reason_en: str | None = None
    reason_zh: str | None = None


class Clause(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True, frozen=True)

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
    model_config = ConfigDict(extra="forbid", defer_build=True, frozen=True)

    id: str
    title_zh: str
    title_en: str
    issuer_zh: str
    issuer_en: str
    date: str
    seeds: list[str]


class _Catalogue(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

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
    # Normalising terms is most of what building a Checker costs: each term's variants and each vocabulary's
    # expansion are remembered here, filled in by ``compiled`` and kept in the cached artefact.
    _variants: dict[str, tuple[str, ...]] = field(default_factory=dict, init=False, compare=False, repr=False)
    _named: dict[str, tuple[str, ...]] = field(default_factory=dict, init=False, compare=False, repr=False)

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
            found.update(dict.fromkeys(self._named_terms(term, where) if term.startswith("@")
                                       else self._term_variants(term, where)))
        return list(found)

    def _named_terms(self, reference: str, where: str) -> tuple[str, ...]:
        named = self._named.get(reference)
        if named is None:
            name = reference[1:]
            if name not in self.vocabulary:
                raise RulebookError(f"{where}: unknown vocabulary {reference!r}")
            named = self._named[reference] = tuple(self.expand(self.vocabulary[name], where=where))
        return named

    def _term_variants(self, term: str, where: str) -> tuple[str, ...]:
        variants = self._variants.get(term)
        if variants is None:
            variants = tuple(variant for variant in normalize_term(term) if variant)
            if any(holds_emoji_stand_in(variant) for variant in variants):
                raise RulebookError(
                    f"{where}: term {term!r} holds an emoji the normaliser treats as any emoji; "
                    "name only emoji listed in text/normalize.py _MEANINGFUL_EMOJI"
                )
            # the same word written wholly in pinyin ("ni ta ma de"), for terms long or strong enough
            from qingfeng.text.pinyin import spellings  # pypinyin loads only when a rulebook compiles

            variants += spellings(variants[0], pair=variants[0] in self._pinyin_pairs)
            self._variants[term] = variants
        return variants

    @cached_property
    def _pinyin_pairs(self) -> frozenset[str]:
        """Two-syllable terms strong enough to be matched in pinyin too (``@common.pinyin_pairs``)."""
        return frozenset(self.vocabulary.get("common.pinyin_pairs", ()))


def _read_yaml(path: Path) -> Any:
    try:
        return parse_yaml(path.read_text(encoding="utf-8"))
    except YamlError as error:
        where = f"{path}:{error.line}" if error.line else str(path)
        raise RulebookError(f"{where}: not valid YAML: {error.problem}") from None
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


def _rule_paths(base: Path, extra_rule_dirs: Sequence[Path] = ()) -> list[Path]:
    rule_paths = sorted((base / "rules").glob("*.yaml"))
    for folder in extra_rule_dirs:
        if not folder.is_dir():
            raise RulebookError(f"{folder}: no such rules folder")
        rule_paths += sorted(folder.glob("*.yaml"))
    return rule_paths


def _digest(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _data_files(base: Path, rule_paths: Sequence[Path]) -> list[Path]:
    return [base / "sources.yaml", *sorted((base / "vocab").glob("*.yaml")), *rule_paths]


def load_rulebook(extra_rule_dirs: Sequence[Path] = (), base: Path = PACKAGE_DIR) -> Rulebook:
    catalogue = _load_catalogue(base / "sources.yaml")
    rule_paths = _rule_paths(base, extra_rule_dirs)
    rules, files = _load_rules(rule_paths)
    rulebook = Rulebook(
        rules=tuple(sorted(rules, key=lambda rule: rule.id)),
        clauses={clause.id: clause for clause in catalogue.clauses},
        documents={document.id: document for document in catalogue.documents},
        vocabulary=_load_vocabulary(base / "vocab"),
        version=f"{__version__}+{_digest(_data_files(base, rule_paths))[:12]}",
        files=files,
        specs=_validate_detectors(rules, files),
    )
    _check_references(rulebook)
    return rulebook


class _SpecsByInput(Mapping[str, Any]):
    """A rulebook's specs as the compiled artefact keeps them: pickled apart per input, and unpickled on first
    use, so that checking messages never imports the group and ledger kinds (nor they the detectors)."""

    def __init__(self, specs: Mapping[str, Any], inputs: Mapping[str, str]) -> None:
        by_input: dict[str, dict[str, Any]] = {}
        for rule_id, spec in specs.items():
            by_input.setdefault(inputs[rule_id], {})[rule_id] = spec
        self._inputs = dict(inputs)
        self._pickled = {name: pickle.dumps(group, pickle.HIGHEST_PROTOCOL) for name, group in by_input.items()}
        self._loaded: dict[str, dict[str, Any]] = {}

    def _group(self, name: str) -> dict[str, Any]:
        group = self._loaded.get(name)
        if group is None:
            group = self._loaded[name] = pickle.loads(self._pickled[name])
        return group

    def __getitem__(self, rule_id: str) -> Any:
        return self._group(self._inputs[rule_id])[rule_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._inputs)

    def __len__(self) -> int:
        return len(self._inputs)

    def __getstate__(self) -> dict[str, Any]:
        return {"_inputs": self._inputs, "_pickled": self._pickled, "_loaded": {}}


def compiled(rulebook: Rulebook) -> Rulebook:
    """The rulebook made ready to be cached: every term the engine will ask for normalised in advance (each
    vocabulary, the frames' strings, whatever the message rules' detectors expand as they are built, here as
    the engine builds them, and the strings of their specs, where the context stage finds its terms), and its
    specs kept apart per input."""
    for name in rulebook.vocabulary:
        rulebook.expand([f"@{name}"])
    frames = PACKAGE_DIR / "frames.yaml"
    if frames.exists():
        _expand_strings(rulebook, _read_yaml(frames))
    message_rules = rulebook.rules_for("message")
    kinds = rule_kinds("message", {rule.detector["kind"] for rule in message_rules})
    for rule in message_rules:
        with suppress(RulebookError, ValueError):  # the engine's own build reports it
            kinds[rule.detector["kind"]].runner(rulebook.specs[rule.id], rulebook.expand)
        # the rule's context (allow-phrases, boosts), which the pipeline's context stage expands
        _expand_strings(rulebook, rulebook.specs[rule.id].model_dump(exclude={"kind"}))
    inputs = {rule.id: rule.input for rule in rulebook.rules}
    object.__setattr__(rulebook, "specs", _SpecsByInput(rulebook.specs, inputs))  # the same values, held apart
    return rulebook


def _expand_strings(rulebook: Rulebook, data: Any) -> None:
    """Every string in ``data`` expanded as a term, in advance; a string that is no term costs only the time it
    took."""
    for string in _strings(data):
        with suppress(RulebookError):
            rulebook.expand([string])


def _strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list | tuple):
        for item in data:
            yield from _strings(item)


def _cache_key(base: Path) -> str | None:
    """The content hash of every file a compiled rulebook depends on, or None when one cannot be read (the
    load then fails and says which)."""
    try:
        paths = [*_data_files(base, _rule_paths(base)), PACKAGE_DIR / "frames.yaml"]
        return f"{_digest(paths)}|{'|'.join(path.name for path in paths)}"
    except (OSError, RulebookError):
        return None


@cache
def default_rulebook() -> Rulebook:
    """The package's rulebook, or the folder laid out like it that ``QINGFENG_RULEBOOK`` names (an office's
    edited copy: every command then reads its rules and severities). Compiled once into the user's cache
    (``qingfeng.core.cache``), keyed by the content of its files."""
    folder = os.environ.get("QINGFENG_RULEBOOK")
    base = Path(folder) if folder else PACKAGE_DIR
    key = _cache_key(base)
    if key is None:
        return load_rulebook(base=base)
    return cached("rulebook", f"{base.resolve()}|{key}", lambda: compiled(load_rulebook(base=base)))


__all__ = ["Clause", "Document", "Localized", "Rulebook", "RulebookError", "default_rulebook", "load_rulebook"]
