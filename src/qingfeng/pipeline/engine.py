"""The engine: binds detector hits to rules and turns them into findings.

It knows nothing about categories. Per batch of messages it normalises every text, runs one shared
Aho-Corasick pass over the whole batch for every term any rule uses, searches every regex gate once over the
batch, lets the screening detectors choose their messages once for the batch (the models score it in a few
array operations and keep the messages over each rule's threshold), and calls only the detectors whose
trigger terms were found, gates matched and screens chose (plus the few that declare none of these), each
limited to its rule's scope. A clean message costs the shared passes and a few set look-ups.

Each message goes through four stages, each a small step the next one reads:

- detect: each rule's detector reports raw hits (span, its own confidence, what matched);
- context (``qingfeng.pipeline.context``): the rule's allow-phrases and boosts, then the frames of frames.yaml
  (reported speech, quotation, negation, news: ``qingfeng.pipeline.framing``) set hits aside or move their
  confidence, for every detector kind alike; then the verifier (``qingfeng.pipeline.verifier``), a model
  that reads the words around the written rules' hits of the whole batch at once, lowers the hits it doubts
  to advice;
- merge: a model with no written rule of its category agreeing never blocks, and one hit per category and
  span stands (the most severe as the threshold will judge it, then the most confident);
- threshold (``qingfeng.runtime.findings``): each hit that stands becomes a finding at its rule's severity,
  advice (info) below ``MIN_CONFIDENCE``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import islice
from string import ascii_letters
from typing import Any

import ahocorasick_rs

from qingfeng.core.i18n import t
from qingfeng.core.models import (
    MODEL_KINDS,
    SEVERITY_RANK,
    ContextMove,
    Doubt,
    Explanation,
    Finding,
    Message,
    Severity,
)
from qingfeng.detectors.base import Detector, Doc, Hit, detector_kinds
from qingfeng.pipeline.context import RuleContext, judge
from qingfeng.pipeline.framing import load_frames
from qingfeng.pipeline.gates import Gates
from qingfeng.pipeline.verifier import Verifier, shipped
from qingfeng.rulebook.loader import Rulebook, default_rulebook
from qingfeng.rulebook.schema import Rule
from qingfeng.runtime.findings import build_finding, judged_severity
from qingfeng.text.mixed import MixedReader, beside_han
from qingfeng.text.normalize import NormText, normalize_many
from qingfeng.text.rooms import room_kind

EXCERPT_CHARS = 80
_LETTER = re.compile("[a-z]")
CAPPED = "; no written rule agrees: capped at warn"
YIELDED = "; the message breaks a graver rule: advice only"


@dataclass(frozen=True, slots=True)
class _Compiled:
    rule: Rule
    detector: Detector
    rule_context: RuleContext  # its allow-phrases and boosts, for the context stage
    first: bool  # the kind reports one hit per message
    triggers: tuple[str, ...]  # the terms that make it worth running; none: it runs on every message in scope
    # A triggered rule with message-wide allow-phrases asks them before detecting (the same answer, sooner);
    # a rule run on every message does not, or each message's terms would be walked once per such rule.
    unless_first: bool = False


def _compile(rule: Rule, rulebook: Rulebook, kinds: Mapping[str, type[Detector]]) -> _Compiled:
    where = f"{rulebook.files.get(rule.id, 'rulebook')}: rule {rule.id}"
    spec = rulebook.specs[rule.id]  # validated into its kind's Spec when the rulebook loaded
    kind = kinds[rule.detector["kind"]]

    def terms(found: Iterable[str]) -> list[str]:
        return rulebook.expand(found, where=where)

    detector, context = kind(spec, terms), RuleContext(spec, terms)
    triggers = tuple(detector.terms())
    return _Compiled(rule, detector, context, kind.first_hit, triggers, bool(context.unless) and bool(triggers))


@dataclass(slots=True)
class _Standing:
    """A hit that stood its context, between the merge and the threshold: offsets in the original text and
    the severity the threshold will judge it at."""

    rule: Rule
    kind: str
    hit: Hit
    confidence: float
    context: tuple[ContextMove, ...]
    start: int | None
    end: int | None
    severity: Severity
    capped: bool = False
    yielded: bool = False  # stood aside, as advice, for a graver finding of a rule that does not yield
    doubt: Doubt | None = None  # the verifier lowered it to advice, or a block it doubts to warn


def _outside(starts: list[int], size: int, hosts: list[tuple[int, int]]) -> list[int]:
    """The occurrences of a term of ``size`` characters that overlap no host span but in holding it whole."""
    kept = []
    for start in starts:
        end = start + size
        for host_start, host_end in hosts:
            if start < host_end and end > host_start and (start > host_start or end < host_end):
                break
        else:
            kept.append(start)
    return kept


def _is_letter(char: str) -> bool:
    return char.isascii() and char.isalpha()


def _edges(term: str) -> tuple[bool, bool] | None:
    """For a Latin-letter term, which must not match inside a longer word ("sb" in "usb"): whether it starts
    and whether it ends with a letter; None for any other term."""
    if term[0] in ascii_letters or term[-1] in ascii_letters:
        return _is_letter(term[0]), _is_letter(term[-1])
    return None


def _in_a_word(text: str, start: int, end: int, edges: tuple[bool, bool]) -> bool:
    """Whether a Latin-letter term found at ``start:end`` lies inside a longer word or a code."""
    before = start - 1
    if edges[0] and start > 0 and (_is_letter(text[before]) or _code_part(text, before, before - 1)):
        return True
    return edges[1] and end < len(text) and (_is_letter(text[end]) or _code_part(text, end, end + 1))


def _code_part(text: str, joint: int, beyond: int) -> bool:
    """Whether ``text[joint]`` is a hyphen or dot joining the term to more Latin letters or digits at
    ``beyond``: a model number or an address (SB-200型, 12333-sb.vip), not a word of its own."""
    return (0 <= beyond < len(text) and text[joint] in "-." and text[beyond].isascii()
            and text[beyond].isalnum())


SHORT_TEXT = 64  # characters up to which a first draft's terms are looked up rather than the automaton built


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
            _compile(rule, self.rulebook, kinds)
            for rule in self.rulebook.rules_for("message")
            if (not chosen or rule.id.startswith(chosen)) and not (dropped and rule.id.startswith(dropped))
            and not (fast and kinds.get(rule.detector["kind"], Detector).costly)
        ]
        self.frames = load_frames(self.rulebook)
        self.verifier: Verifier | None = shipped()
        # Words in which a shorter term means something else (慢性病 holds 性病, 现代还 reads 代还): a term
        # found overlapping one of them is no term there.
        self._hosts = frozenset(self.rulebook.expand(["@context.hosts"], where="engine"))
        by_trigger: dict[str, list[int]] = {}
        self._untriggered: list[int] = []
        # Gates (patterns a detector needs in the text) are searched once per batch; each rule gets the bit
        # of its gate, 0 for none.
        self._gates: list[re.Pattern[str]] = []
        self._gate_bit: list[int] = []
        terms: set[str] = self.frames.terms() | self._hosts
        for number, compiled in enumerate(self._rules):
            self._gate_bit.append(self._gate(compiled.detector.gate()))
            triggers = compiled.triggers
            for term in triggers:
                by_trigger.setdefault(term, []).append(number)
            if not triggers:
                self._untriggered.append(number)
            terms.update(triggers)
            terms.update(compiled.detector.context_terms())
            terms.update(compiled.rule_context.terms())
        self.terms: frozenset[str] = frozenset(terms)  # every term of the shared automaton pass
        self._gate_search = Gates(self._gates)
        # Detectors that screen a whole batch first (model scoring, send times): each gets a bit of its own,
        # set on the messages it chose, which ``_check_doc`` tests like a gate's. A screened rule without
        # trigger terms is not run on every message but only on those its screen chose.
        self._screeners: list[tuple[int, Detector, int]] = []
        for number, compiled in enumerate(self._rules):
            if type(compiled.detector).screen is not Detector.screen:
                bit = 1 << (len(self._gates) + len(self._screeners))
                self._screeners.append((number, compiled.detector, bit))
                self._gate_bit[number] |= bit
        self._screened_always = frozenset(n for n, _, _ in self._screeners) & frozenset(self._untriggered)
        self._untriggered = [n for n in self._untriggered if n not in self._screened_always]
        # Sets of rules as bit sets (bit n: rule n), so that choosing a message's rules is a few int operations:
        # the rules each term triggers (a rule may list a term twice: a set, not a sum), and per gate or
        # screen bit the rules that need it.
        self._trigger_mask = {term: sum(1 << n for n in set(numbers)) for term, numbers in by_trigger.items()}
        # Words written partly in pinyin (兼zhi刷dan) are read as the trigger terms they spell
        self._mixed = MixedReader(self._trigger_mask.keys())
        self._needing = [sum(1 << n for n, bits in enumerate(self._gate_bit) if bits >> b & 1)
                         for b in range(max(self._gate_bit, default=0).bit_length())]
        self._allowed_for: dict[int, int] = {}  # the gate and screen bits a message passed → the rules they allow
        # The automaton is built when first needed (_automaton): a first draft of SHORT_TEXT characters or fewer
        # looks its substrings up instead, which finds the same occurrences in the same order, so a one-shot
        # check never pays for building it (~25 ms over 24,000 terms).
        self._matcher: tuple[Any, list[str], dict[int, tuple[bool, bool]]] | None = None
        self._first_draft = True
        self._longest = max(map(len, terms), default=0)
        self.has_terms = bool(terms)
        # Which rules a message's scope admits, and which of those run on every message, by the scope keys
        # that decide them. An amount matters only by which rules' bounds it lies within.
        self._in_scope: dict[tuple[Any, ...], tuple[int, int]] = {}
        scopes = [compiled.rule.scopes for compiled in self._rules]
        self._min_amounts = sorted({s.min_amount for s in scopes if s.min_amount is not None})
        self._max_amounts = sorted({s.max_amount for s in scopes if s.max_amount is not None})
        self._gate_mask = (1 << len(self._gates)) - 1

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
        if not messages:
            return []
        norms = normalize_many([message.text for message in messages])
        texts = [norm.text for norm in norms]
        term_starts = self._find_terms(texts)
        for number, text in enumerate(texts):
            if beside_han(text):
                self._read_mixed(number, norms, texts, term_starts)
        # A few texts (a draft): each gate is searched only in a text that one of its rules is a candidate for
        lazy = not self._gate_search.bulk(len(texts))
        gates = [0] * len(texts) if lazy else self._gate_search.passed(texts)
        docs = [
            Doc(message, norm, room_kind(message.channel, message.room, message.room_name, self.rooms), starts,
                self.context)
            for message, norm, starts in zip(messages, norms, term_starts, strict=True)
        ]
        batch: dict[Any, Any] = {}
        screened = [0] * len(docs)  # per doc: the rules without terms screens chose it for (bit n: rule n)
        for rule, detector, bit in self._screeners:
            chosen = detector.screen(docs, batch)
            run = 1 << rule if rule in self._screened_always else 0
            for number in range(len(docs)) if chosen is None else chosen:
                gates[number] |= bit
                screened[number] |= run
        standing = [self._check_doc(doc, passed, chosen, lazy)
                    for doc, passed, chosen in zip(docs, gates, screened, strict=True)]
        if self.verifier is not None and any(standing):
            self._verify(docs, standing)
        return [[self._finding(doc, kept) for kept in _merge(hits, self.deduplicate)] if hits else []
                for doc, hits in zip(docs, standing, strict=True)]  # merge, threshold

    def _verify(self, docs: list[Doc], standing: list[list[_Standing]]) -> None:
        """The verifier's step of the context stage, for the whole batch: the hits it doubts become advice, the
        blocks it is not confident of warnings."""
        assert self.verifier is not None
        doubts = self.verifier.lower(docs, standing)
        if doubts:
            for hits in standing:
                for one in hits:
                    doubt = doubts.get(id(one))
                    if doubt is not None:
                        one.doubt, one.severity = doubt, doubt.severity

    def warm(self) -> Checker:
        """Build now what a one-shot check of a short draft leaves out (the terms' automaton, the models'
        numpy scoring): a long-lived process checks every draft at full speed from its first."""
        self._automaton()
        import qingfeng.detectors.scoring  # noqa: F401  (detectors.classifier screens in Python without it)

        if self.verifier is not None:
            _ = self.verifier.model  # loaded at the first hit otherwise
        return self

    def _automaton(self) -> tuple[Any, list[str], dict[int, tuple[bool, bool]]]:
        """The automaton's search, its terms by number, and the Latin-letter terms' edges by number."""
        if self._matcher is None:
            # ahocorasick-rs: the fastest of the candidates on our terms and texts (bench/matchers.py), and it
            # reports occurrences in the same order as pyahocorasick did (by end, longest first).
            names = sorted(self.terms)
            latin = {number: edges for number, edges in enumerate(map(_edges, names)) if edges is not None}
            self._matcher = (ahocorasick_rs.AhoCorasick(names).find_matches_as_indexes, names, latin)
        return self._matcher

    def _find_terms(self, texts: list[str]) -> list[dict[str, list[int]]]:
        """Per text: each term found → its start offsets, in the order the automaton reports them."""
        if not self.has_terms:
            return [{} for _ in texts]
        first, self._first_draft = self._first_draft, False
        if first and self._matcher is None and len(texts) == 1 and len(texts[0]) <= SHORT_TEXT:
            return [self._looked_up(texts[0])]
        found: list[dict[str, list[int]]] = []
        matches, names, latin = self._automaton()
        hosts = self._hosts
        for text in texts:
            terms: dict[str, list[int]] = {}
            # `in` and indexing rather than dict.get: no method call per occurrence (~8 a message)
            for number, start, end in matches(text, overlapping=True):
                if number in latin and _in_a_word(text, start, end, latin[number]):
                    continue
                term = names[number]
                if term in terms:
                    terms[term].append(start)
                else:
                    terms[term] = [start]
            if hosts and not hosts.isdisjoint(terms):
                terms = self._outside_hosts(terms)
            found.append(terms)
        return found

    @cached_property
    def _lettered(self) -> frozenset[str]:
        """Terms that spell a word with Latin letters (加v, 日jie, sb): the mixed reading leaves those alone."""
        return frozenset(term for term in self.terms if _LETTER.search(term))

    def _read_mixed(self, number: int, norms: list[NormText], texts: list[str],
                    term_starts: list[dict[str, list[int]]]) -> None:
        """A text with Latin letters beside Chinese characters, read with its runs of pinyin as the terms they
        spell (``qingfeng.text.mixed``); its terms found again in that reading."""
        found = term_starts[number]
        lettered = self._lettered
        spelt = [(start, start + len(term)) for term, starts in found.items() if term in lettered for start in starts]
        read = self._mixed.read(norms[number], spelt)
        if read is None:
            return
        norms[number], texts[number] = read, read.text
        term_starts[number] = self._find_terms([read.text])[0]

    def _looked_up(self, text: str) -> dict[str, list[int]]:
        """``_find_terms`` of one short text without the automaton: every substring up to the longest term's
        length looked up, by end and longest first, as the automaton reports them."""
        known, longest = self.terms, self._longest
        terms: dict[str, list[int]] = {}
        for end in range(1, len(text) + 1):
            for start in range(max(0, end - longest), end):
                term = text[start:end]
                if term in known:
                    edges = _edges(term)
                    if edges is None or not _in_a_word(text, start, end, edges):
                        terms.setdefault(term, []).append(start)
        if self._hosts and not self._hosts.isdisjoint(terms):
            terms = self._outside_hosts(terms)
        return terms

    def _outside_hosts(self, terms: dict[str, list[int]]) -> dict[str, list[int]]:
        """The term occurrences that do not overlap a host word (unless they hold the whole host)."""
        host_words = self._hosts
        hosts = [(s, s + len(h)) for h, starts in terms.items() if h in host_words for s in starts]
        # No occurrence starting at or after the last host's end, or ending at or before the first host's
        # start, can overlap one: most terms are told apart by these two numbers alone.
        low, high = min(hs for hs, _ in hosts), max(he for _, he in hosts)
        kept: dict[str, list[int]] = {}
        for term, starts in terms.items():
            if term not in host_words:
                size = len(term)
                first, last = starts[0], starts[-1] + size  # a term's starts come in text order
                if first < high and last > low and any(first < he and last > hs for hs, he in hosts):
                    starts = _outside(starts, size, hosts)
                    if not starts:
                        continue
            kept[term] = starts
        return kept

    def _check_doc(self, doc: Doc, passed: int, screened: int, lazy: bool = False) -> list[_Standing]:
        """Detect and context: the hits that stand on this message."""
        standing: list[_Standing] = []
        frames = self.frames
        for compiled in self._candidates(doc, passed, screened, lazy):
            context = compiled.rule_context
            if compiled.unless_first and context.rules_out(doc):
                continue
            hits = compiled.detector.detect(doc)  # detect
            if not hits:  # a list or tuple without hits (a generator is judged)
                continue
            judged = judge(doc, compiled.rule, context, frames, hits, compiled.first)  # context
            for hit, confidence, moves in judged:
                standing.append(self._standing(compiled, doc, hit, confidence, moves))
        return standing

    def _candidates(self, doc: Doc, passed: int, screened: int, lazy: bool) -> list[_Compiled]:
        """The rules worth running on this message, in order: triggered by a term found (or without triggers,
        or chosen by their screen), their scope admitting it and their gate passed. With ``lazy`` the gates
        were not searched yet: only those of these rules are, now."""
        wanted, admits = self._scope(doc)
        wanted |= screened
        triggers = self._trigger_mask
        for term in doc.term_starts:
            triggered = triggers.get(term)
            if triggered is not None:
                wanted |= triggered
        wanted &= admits
        if lazy:
            passed |= self._gate_search.matching(doc.text, self._gate_mask & self._gates_of(wanted))
        allowed = self._allowed_for.get(passed)
        if allowed is None:
            allowed = self._allowed(passed)
        wanted &= allowed  # a gate not matched, or not chosen by a screen, leaves its rule out
        rules, chosen = self._rules, []
        while wanted:
            lowest = wanted & -wanted
            chosen.append(rules[lowest.bit_length() - 1])
            wanted ^= lowest
        return chosen

    def _gates_of(self, wanted: int) -> int:
        """The gate and screen bits these rules (a bit set) need."""
        bits, gate_bit = 0, self._gate_bit
        while wanted:
            lowest = wanted & -wanted
            bits |= gate_bit[lowest.bit_length() - 1]
            wanted ^= lowest
        return bits

    def _allowed(self, passed: int) -> int:
        """The rules whose every gate and screen bit is among those ``passed``."""
        barred = 0
        for bit, needing in enumerate(self._needing):
            if not passed >> bit & 1:
                barred |= needing
        allowed = ((1 << len(self._rules)) - 1) & ~barred
        if len(self._allowed_for) < 4096:
            self._allowed_for[passed] = allowed
        return allowed

    def _scope(self, doc: Doc) -> tuple[int, int]:
        """The rules without trigger terms whose scope admits this message, and the rules whose scope admits
        it, as bit sets (remembered per scope key)."""
        message = doc.message
        amount = message.amount
        key = (message.channel, message.type, doc.room_kind, None if amount is None else
               (bisect_right(self._min_amounts, amount), bisect_left(self._max_amounts, amount)))
        found = self._in_scope.get(key)
        if found is None:
            admits = sum(1 << n for n, compiled in enumerate(self._rules)
                         if compiled.rule.scopes.admits(message, doc.room_kind))
            always = sum(1 << n for n in self._untriggered if admits >> n & 1)
            found = self._in_scope[key] = (always, admits)
        return found

    def _standing(self, compiled: _Compiled, doc: Doc, hit: Hit, confidence: float,
                  moves: tuple[ContextMove, ...]) -> _Standing:
        rule = compiled.rule
        start = end = None
        if hit.start is not None and hit.end is not None:
            start, end = doc.norm.to_original(hit.start, hit.end)
        return _Standing(rule, rule.detector["kind"], hit, confidence, moves, start, end,
                         judged_severity(rule, confidence=confidence))

    def _finding(self, doc: Doc, kept: _Standing) -> Finding:
        """The threshold: a hit that stood becomes a finding, its severity judged from its rule."""
        original = doc.message.text
        if kept.start is None:
            excerpt = original if len(original) <= EXCERPT_CHARS else original[: EXCERPT_CHARS - 1] + "…"
        else:
            excerpt = original[kept.start : kept.end]
        hit = kept.hit
        moves = (CAPPED,) if kept.capped else (YIELDED,) if kept.yielded else ()
        ceiling: Severity | None = "warn" if kept.capped else "info" if kept.yielded else None
        if kept.doubt is not None:
            moves = (*moves, t("verifier.move", self.lang, account=kept.doubt.account(self.lang)))
            doubted = kept.doubt.severity  # the lower of the two ceilings: a yielded hit stays advice
            ceiling = doubted if ceiling is None or SEVERITY_RANK[doubted] < SEVERITY_RANK[ceiling] else ceiling
        why = Explanation(kept.kind, hit.explanation, moves, pattern=hit.pattern, base=hit.confidence,
                          validation=hit.validation, context=kept.context, doubt=kept.doubt)
        return build_finding(
            kept.rule, self.lang, message_id=doc.message.id, excerpt=excerpt, start=kept.start, end=kept.end,
            confidence=kept.confidence, why=why, extra=hit.data, ceiling=ceiling,
        )


def _merge(standing: list[_Standing], deduplicate: bool) -> list[_Standing]:
    """The merge: lone models capped, yielding rules set aside for graver findings, then one hit per category
    and span (when deduplicating)."""
    _cap_lone_models(standing)
    _yield(standing)
    return _deduplicate(standing) if deduplicate and len(standing) > 1 else standing


def _yield(standing: list[_Standing]) -> None:
    """The hits of rules that yield (``Rule.yields``) become advice where a rule of a category they yield to, a
    rule that yields to none, stands at warn or block on the same message."""
    if len(standing) < 2 or not any(s.rule.yields for s in standing):
        return
    graver = {s.rule.category for s in standing
              if not s.rule.yields and SEVERITY_RANK[s.severity] >= SEVERITY_RANK["warn"]}
    for s in standing:
        if SEVERITY_RANK[s.severity] >= SEVERITY_RANK["warn"] and graver.intersection(s.rule.yields):
            s.severity, s.yielded = "info", True


def _cap_lone_models(standing: list[_Standing]) -> None:
    """A model alone never blocks: a model's block stays a block only when a written rule of the same
    category fired on the message too; otherwise it is a warn, for a person to judge."""
    if not any(s.severity == "block" and s.kind in MODEL_KINDS for s in standing):
        return
    written = {s.rule.category for s in standing if s.kind not in MODEL_KINDS}
    for s in standing:
        if s.severity == "block" and s.kind in MODEL_KINDS and s.rule.category not in written:
            s.severity, s.capped = "warn", True


def _deduplicate(standing: list[_Standing]) -> list[_Standing]:
    """One hit per category and span: the most severe, then the most confident, then the first rule."""
    best: dict[tuple[str, int | None, int | None], _Standing] = {}
    for one in standing:
        key = (one.rule.category, one.start, one.end)
        kept = best.get(key)
        if kept is None or (SEVERITY_RANK[one.severity], one.confidence) > (
            SEVERITY_RANK[kept.severity],
            kept.confidence,
        ):
            best[key] = one
    return sorted(best.values(), key=lambda s: (s.start if s.start is not None else -1, s.rule.id))
