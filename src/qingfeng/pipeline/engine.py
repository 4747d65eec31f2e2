"""The engine: binds detector hits to rules and turns them into findings.

It knows nothing about categories. Per batch of messages it normalises every text, runs one shared
Aho-Corasick pass over the whole batch for every term any rule uses, and calls only the detectors whose
trigger terms were found (plus the few that declare none), each limited to its rule's scope.

Each message goes through four stages: detect (the detectors' hits), context (frames.yaml sets aside
hits that a message only reports, quotes, forbids or debunks: ``qingfeng.pipeline.framing``), merge (one finding
per category and span; a model with no written rule of its category agreeing never blocks) and
threshold (below ``MIN_CONFIDENCE`` a finding is advice).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import accumulate, islice
from typing import Any

import ahocorasick

from qingfeng.core.models import SEVERITY_RANK, Explanation, Finding, Message, from_model
from qingfeng.detectors.base import Detector, Doc, Hit, detector_kinds
from qingfeng.pipeline.framing import load_frames
from qingfeng.rulebook.loader import Rulebook, default_rulebook
from qingfeng.rulebook.schema import Rule
from qingfeng.runtime.findings import build_finding
from qingfeng.text.normalize import normalize_many
from qingfeng.text.rooms import room_kind

EXCERPT_CHARS = 80


@dataclass(frozen=True, slots=True)
class _Compiled:
    rule: Rule
    detector: Detector


def _build_detector(rule: Rule, rulebook: Rulebook, kinds: Mapping[str, type[Detector]]) -> Detector:
    where = f"{rulebook.files.get(rule.id, 'rulebook')}: rule {rule.id}"
    spec = rulebook.specs[rule.id]  # validated into its kind's Spec when the rulebook loaded
    return kinds[rule.detector["kind"]](spec, lambda terms: rulebook.expand(terms, where=where))


def _is_letter(char: str) -> bool:
    return char.isascii() and char.isalpha()


class Checker:
    """Checks messages against the rulebook. Build once, reuse: compiling the automaton is the costly part.

    Safe to share between threads: checking reads the compiled rules and never changes them.
    """

    def __init__(
        self,
        rulebook: Rulebook | None = None,
        *,
        lang: str = "zh",
        rooms: Mapping[str, str] | None = None,
        context: Mapping[str, Any] | None = None,
        select: Iterable[str] = (),
        ignore: Iterable[str] = (),
        deduplicate: bool = True,
        fast: bool = False,
    ) -> None:
        """``rooms`` maps a room id to its kind (from a group register); ``context`` is handed to every
        detector (registers, calendars); ``select``/``ignore`` take rule ids or id prefixes;
        ``deduplicate`` keeps one finding per category and span (off to see every rule that fired);
        ``fast`` leaves out costly detectors (statistical models) for bulk scans."""
        self.rulebook = rulebook or default_rulebook()
        self.lang = lang
        self.rooms = dict(rooms or {})
        self.context = dict(context or {})
        self.deduplicate = deduplicate
        kinds = detector_kinds({rule.detector["kind"] for rule in self.rulebook.rules_for("message")})
        chosen = tuple(select)
        dropped = tuple(ignore)
        self._rules: list[_Compiled] = [
            _Compiled(rule, _build_detector(rule, self.rulebook, kinds))
            for rule in self.rulebook.rules_for("message")
            if (not chosen or rule.id.startswith(chosen)) and not (dropped and rule.id.startswith(dropped))
            and not (fast and kinds.get(rule.detector["kind"], Detector).costly)
        ]
        self.frames = load_frames(self.rulebook)
        # Words in which a shorter term means something else (慢性病 holds 性病, 现代还 reads 代还): a term
        # found overlapping one of them is no term there.
        self._hosts = frozenset(self.rulebook.expand(["@context.hosts"], where="engine"))
        self._by_trigger: dict[str, list[int]] = {}
        self._untriggered: list[int] = []
        # Gates (patterns a detector needs in the text) are searched once per batch; each rule gets the bit
        # of its gate, 0 for none.
        self._gates: list[re.Pattern[str]] = []
        self._gate_bit: list[int] = []
        terms: set[str] = self.frames.terms() | self._hosts
        for number, compiled in enumerate(self._rules):
            self._gate_bit.append(self._gate(compiled.detector.gate()))
            triggers = list(compiled.detector.terms())
            for term in triggers:
                self._by_trigger.setdefault(term, []).append(number)
            if not triggers:
                self._untriggered.append(number)
            terms.update(triggers)
            terms.update(compiled.detector.context_terms())
        self.terms: frozenset[str] = frozenset(terms)  # every term of the shared automaton pass
        # Detectors with batch work to do before checking (model scoring).
        self._preparers = [c.detector for c in self._rules if type(c.detector).prepare is not Detector.prepare]
        self._automaton = ahocorasick.Automaton()
        for term in terms:
            # Latin-letter terms must not match inside a longer word ("sb" in "usb").
            self._automaton.add_word(term, (term, len(term) - 1, _is_letter(term[0]), _is_letter(term[-1])))
        if terms:
            self._automaton.make_automaton()
        self.has_terms = bool(terms)
        # Rules that run on every message, by the scope keys that decide which of them apply.
        self._untriggered_for: dict[tuple[Any, ...], tuple[list[int], frozenset[int]]] = {}

    def _gate(self, pattern: re.Pattern[str] | None) -> int:
        if pattern is None:
            return 0
        if pattern not in self._gates:
            self._gates.append(pattern)
        return 1 << self._gates.index(pattern)

    @property
    def rules(self) -> list[Rule]:
        return [compiled.rule for compiled in self._rules]

    def check(self, message: Message | str, **fields: Any) -> list[Finding]:
        """Findings for one message (a Message, or text plus message fields)."""
        if isinstance(message, str):
            message = Message.model_validate({"text": message, **fields})
        return self.check_batch([message])[0]

    def check_many(self, messages: Iterable[Message], batch_size: int = 512) -> Iterator[list[Finding]]:
        """Findings for each message in order, checking in batches."""
        iterator = iter(messages)
        while batch := list(islice(iterator, batch_size)):
            yield from self.check_batch(batch)

    def check_batch(self, messages: Sequence[Message]) -> list[list[Finding]]:
        norms = normalize_many([message.text for message in messages])
        texts = [norm.text for norm in norms]
        term_starts = self._find_terms(texts)
        gates = self._pass_gates(texts)
        docs = [
            Doc(message, norm, room_kind(message.channel, message.room, message.room_name, self.rooms), starts,
                self.context)
            for message, norm, starts in zip(messages, norms, term_starts, strict=True)
        ]
        for detector in self._preparers:
            detector.prepare(docs)
        return [self._check_doc(doc, passed) for doc, passed in zip(docs, gates, strict=True)]

    def _pass_gates(self, texts: list[str]) -> list[int]:
        """Per text, the bits of the gates that match it: one search per gate over the joined batch."""
        passed = [0] * len(texts)
        if not self._gates:
            return passed
        joined = "\x00".join(texts)
        starts = list(accumulate((len(text) + 1 for text in texts[:-1]), initial=0))
        for number, gate in enumerate(self._gates):
            bit = 1 << number
            for match in gate.finditer(joined):
                passed[bisect_right(starts, match.start()) - 1] |= bit
        return passed

    def _find_terms(self, texts: list[str]) -> list[dict[str, list[int]]]:
        """Per text: each term found → its start offsets, in the order the automaton reports them."""
        if not self.has_terms:
            return [{} for _ in texts]
        found: list[dict[str, list[int]]] = []
        matches = self._automaton.iter
        for text in texts:
            terms: dict[str, list[int]] = {}
            last = len(text) - 1
            for end, (term, length, starts_latin, ends_latin) in matches(text):
                start = end - length
                if starts_latin and start > 0 and _is_letter(text[start - 1]):
                    continue
                if ends_latin and end < last and _is_letter(text[end + 1]):
                    continue
                starts = terms.get(term)
                if starts is None:
                    terms[term] = [start]
                else:
                    starts.append(start)
            if self._hosts and not self._hosts.isdisjoint(terms):
                terms = self._outside_hosts(terms)
            found.append(terms)
        return found

    def _outside_hosts(self, terms: dict[str, list[int]]) -> dict[str, list[int]]:
        """The term occurrences that do not overlap a host word (unless they hold the whole host)."""
        hosts = [(s, s + len(h)) for h, starts in terms.items() if h in self._hosts for s in starts]
        kept: dict[str, list[int]] = {}
        for term, starts in terms.items():
            if term in self._hosts:
                kept[term] = starts
                continue
            size = len(term)
            inside = [s for s in starts if not any(s < he and s + size > hs and not (s <= hs and s + size >= he)
                                                   for hs, he in hosts)]
            if inside:
                kept[term] = inside
        return kept

    def _check_doc(self, doc: Doc, passed: int) -> list[Finding]:
        always, admitted = self._always(doc)
        if doc.term_starts:
            candidates = set(always)
            by_trigger = self._by_trigger
            for term in doc.term_starts:
                triggered = by_trigger.get(term)
                if triggered is not None:
                    candidates.update(triggered)
            numbers: Iterable[int] = sorted(candidates)
        else:
            numbers = always
        findings: list[Finding] = []
        rules, gate_bit, excuse = self._rules, self._gate_bit, self.frames.excuse
        for number in numbers:
            bit = gate_bit[number]
            if bit and not passed & bit:
                continue
            compiled = rules[number]
            rule = compiled.rule
            if number not in admitted and not rule.scopes.admits(doc.message, doc.room_kind):
                continue
            for hit in compiled.detector.detect(doc):
                if excuse(doc, rule.id, rule.category, hit) is None:  # the context stage
                    findings.append(self._finding(rule, doc, hit))
        if not findings:
            return findings
        findings = _cap_lone_models(findings)
        return _deduplicate(findings) if self.deduplicate and len(findings) > 1 else findings

    def _always(self, doc: Doc) -> tuple[list[int], frozenset[int]]:
        """The rules without trigger terms whose scope admits this message (remembered per scope key)."""
        message = doc.message
        key = (message.channel, message.type, doc.room_kind, message.amount)
        admitted = self._untriggered_for.get(key)
        if admitted is None:
            numbers = [n for n in self._untriggered if self._rules[n].rule.scopes.admits(message, doc.room_kind)]
            admitted = (numbers, frozenset(numbers))
            if len(self._untriggered_for) < 4096:  # amounts vary: keep the memory bounded
                self._untriggered_for[key] = admitted
        return admitted

    def _finding(self, rule: Rule, doc: Doc, hit: Hit) -> Finding:
        original = doc.message.text
        if hit.start is None or hit.end is None:
            start = end = None
            excerpt = original if len(original) <= EXCERPT_CHARS else original[: EXCERPT_CHARS - 1] + "…"
        else:
            start, end = doc.norm.to_original(hit.start, hit.end)
            excerpt = original[start:end]
        return build_finding(
            rule, self.lang, message_id=doc.message.id, excerpt=excerpt, start=start, end=end,
            confidence=hit.confidence, why=Explanation(rule.detector["kind"], hit.explanation), extra=hit.data,
        )


def _cap_lone_models(findings: list[Finding]) -> list[Finding]:
    """A model alone never blocks: a model's block stays a block only when a written rule of the same
    category fired on the message too; otherwise it is a warn, for a person to judge."""
    if not any(f.severity == "block" and from_model(f) for f in findings):
        return findings
    written = {f.category for f in findings if not from_model(f)}
    return [
        _capped(f)
        if f.severity == "block" and from_model(f) and f.category not in written else f
        for f in findings
    ]


def _capped(finding: Finding) -> Finding:
    why = (finding.why or Explanation("", finding.explanation, named=False)).moved(
        "; no written rule agrees: capped at warn"
    )
    return replace(finding, severity="warn", explanation=why.render(), why=why)


def _deduplicate(findings: list[Finding]) -> list[Finding]:
    """One finding per category and span: the most severe, then the most confident, then the first rule."""
    best: dict[tuple[str, int | None, int | None], Finding] = {}
    for finding in findings:
        key = (finding.category, finding.start, finding.end)
        kept = best.get(key)
        if kept is None or (SEVERITY_RANK[finding.severity], finding.confidence) > (
            SEVERITY_RANK[kept.severity],
            kept.confidence,
        ):
            best[key] = finding
    return sorted(best.values(), key=lambda f: (f.start if f.start is not None else -1, f.rule))
