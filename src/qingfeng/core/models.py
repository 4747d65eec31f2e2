"""The stable records: messages in, findings out (contracts in ARCHITECTURE.md)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, field_validator

from qingfeng.core.i18n import t

DEFAULT_ZONE = ZoneInfo("Asia/Shanghai")
MAX_AMOUNT = 1e12  # yuan: far above any real transfer, well inside what every consumer of an amount computes with

CATEGORIES: tuple[str, ...] = (
    "secrecy", "privacy", "gifts", "fraud", "spam", "chain", "rumor",
    "vulgar", "illegal", "abuse", "etiquette", "group", "account", "report",
)
SEVERITIES: tuple[str, ...] = ("info", "warn", "block")
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}

Channel = Literal["group", "private", "moments"]
MessageType = Literal["text", "redpacket", "transfer", "voice", "image", "file", "link", "sticker"]
Severity = Literal["info", "warn", "block"]


class Message(BaseModel):
    """One chat message. Unknown keys in input records are ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str | None = None
    time: datetime | None = None
    channel: Channel = "private"
    sender: str | None = None
    sender_name: str | None = None
    receiver: str | None = None  # one-to-one chats: who it was sent to, where the export says
    room: str | None = None
    room_name: str | None = None
    type: MessageType = "text"
    text: str = ""
    amount: float | None = Field(default=None, allow_inf_nan=False, le=MAX_AMOUNT)
    recalled: bool = False
    # Pictures: the file name(s) of the picture under a scan's media folder, first found wins (qingfeng.media).
    media: tuple[str, ...] = ()

    @field_validator("media", mode="before")
    @classmethod
    def _one_name(cls, value: Any) -> Any:
        return (value,) if isinstance(value, str) else () if value is None else value

    @field_validator("id", "sender", "sender_name", "receiver", "room", "room_name", "text")
    @classmethod
    def _no_nul(cls, value: str | None) -> str | None:
        # A NUL character is never text a person wrote, and PostgreSQL cannot store one.
        if value is not None and "\x00" in value:
            raise ValueError("input.nul")
        return value

    @field_validator("id", "sender", "receiver", "room", mode="before")
    @classmethod
    def _ids_as_text(cls, value: Any) -> Any:
        # Exports often write numeric ids; they are identifiers, not numbers.
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("text", mode="before")
    @classmethod
    def _null_text(cls, value: Any) -> Any:
        return "" if value is None else value

    @field_validator("time")
    @classmethod
    def _default_zone(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=DEFAULT_ZONE)
        return value

    @field_validator("amount")
    @classmethod
    def _no_negative_money(cls, value: float | None) -> float | None:
        if value is not None and value < 0:
            raise ValueError("input.negative")
        return value

    @property
    def local_time(self) -> datetime | None:
        """The send time in China Standard Time, where working hours are judged."""
        return self.time.astimezone(DEFAULT_ZONE) if self.time is not None else None


@dataclass(frozen=True, slots=True)
class ContextMove:
    """A move the context stage made on a hit: which context (the term found, or ``room <kind>``) and how
    far it moved the confidence."""

    context: str
    effect: float


@dataclass(frozen=True, slots=True)
class Validation:
    """A check the detector ran on what it matched (a Luhn or resident-ID check digit) and its outcome."""

    check: str
    passed: bool


@dataclass(frozen=True, slots=True)
class Doubt:
    """The verifier's doubt of a hit it lowered: its probability of being wrong and the words around the hit
    that weighed most towards doubt (whole words, as the message has them). Lowered to advice, or, where
    ``was`` is "block", a block it is not confident of shown at warn."""

    probability: float
    words: tuple[str, ...]
    was: Severity | None = None  # the rule's severity, where the hit was moved to warn rather than to advice

    @property
    def severity(self) -> Severity:
        """What the hit is reported at."""
        return "info" if self.was is None else "warn"

    def account(self, lang: str) -> str:
        """Why the hit was lowered, in the user's language (the explanation's last move, and the report's)."""
        words = ("、" if lang != "en" else ", ").join(self.words)
        said = t("verifier.words" if words else "verifier.no_words", lang, words=words)
        return t("verifier.lowered" if self.was is None else "verifier.unsure", lang, p=self.probability, said=said)

    def to_dict(self) -> dict[str, Any]:
        moved = {"from": self.was, "to": self.severity} if self.was is not None else {}
        return {"probability": round(self.probability, 3), "words": list(self.words), **moved}


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a finding was raised, in parts: the rule kind that found it, the kind's own account of the hit
    (``detail``: the words the record has always said), what matched (``pattern``: terms, a recognizer or
    regex, a model's words), the detector's confidence before context (``base``), the check it ran
    (``validation``), the context stage's moves, and the moves later stages made (raised, resolved, capped,
    lowered), in order; and the verifier's ``doubt`` where it lowered the hit. ``render`` gives the record's
    string."""

    kind: str
    detail: str
    moves: tuple[str, ...] = ()
    named: bool = True  # whether the string leads with the kind (message and group findings do)
    pattern: tuple[str, ...] = ()
    base: float | None = None
    validation: Validation | None = None
    context: tuple[ContextMove, ...] = ()
    doubt: Doubt | None = None

    def render(self) -> str:
        lead = f"{self.kind}: " if self.named else ""
        moved = "; context " + " ".join(f"{move.effect:+.2f}" for move in self.context) if self.context else ""
        return lead + self.detail + moved + "".join(self.moves)

    def moved(self, move: str) -> Explanation:
        return replace(self, moves=(*self.moves, move))


@dataclass(frozen=True, slots=True)
class Finding:
    """A rule broken by a message (or a transfer, or a group): the stable finding record plus extras."""

    message_id: str | None
    rule: str
    category: str
    severity: Severity
    start: int | None
    end: int | None
    excerpt: str
    advice: str
    sources: tuple[str, ...]
    title: str = ""
    message: str = ""  # the problem, as the rule words it
    confidence: float = 1.0
    explanation: str = ""  # the record's string, rendered from ``why``
    extra: dict[str, Any] = field(default_factory=dict)  # fields beyond the contract's; never one of them
    why: Explanation | None = None

    @property
    def fingerprint(self) -> str:
        """Identity without volatile fields, so a review decision survives a rescan."""
        key = "\x1f".join((self.rule, self.message_id or "", self.excerpt))
        return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]

    @property
    def doubt(self) -> Doubt | None:
        """The verifier's doubt, where it lowered the finding."""
        return self.why.doubt if self.why is not None else None

    def doubted(self, lang: str) -> str | None:
        """Why the verifier lowered it (to advice, or a block it is not sure of to a warning), in the user's
        language; None where it did not."""
        return self.doubt.account(lang) if self.doubt is not None else None

    def to_dict(self) -> dict[str, Any]:
        # A shallow copy: dataclasses.asdict deep-copies and is the slowest part of answering /api/check.
        record = {name: getattr(self, name) for name in _RECORD_FIELDS}
        record["sources"] = list(self.sources)
        record["confidence"] = round(self.confidence, 3)
        record.update((key, value) for key, value in self.extra.items() if key not in RECORD_FIELDS)
        record["fingerprint"] = self.fingerprint
        if self.doubt is not None:  # the verifier lowered it: why, as data
            record["doubt"] = self.doubt.to_dict()
        return record


_RECORD_FIELDS = tuple(f.name for f in fields(Finding) if f.name not in ("extra", "why"))
# The keys of a finding record that extras may not replace.
RECORD_FIELDS = frozenset((*_RECORD_FIELDS, "fingerprint", "doubt"))


def worst_severity(findings: list[Finding]) -> str | None:
    return max((f.severity for f in findings), key=SEVERITY_RANK.__getitem__, default=None)


def counts_by_rule(findings: Iterable[Finding]) -> dict[str, dict[str, int]]:
    """Findings per rule, then per severity."""
    counts: dict[str, dict[str, int]] = {}
    for finding in findings:
        per_rule = counts.setdefault(finding.rule, {})
        per_rule[finding.severity] = per_rule.get(finding.severity, 0) + 1
    return counts


MODEL_KINDS: frozenset[str] = frozenset({"classifier"})  # detector kinds whose findings come from a statistical model


def from_model(finding: Finding) -> bool:
    """Whether a finding was raised by a statistical model rather than a written rule."""
    kind = finding.why.kind if finding.why is not None else finding.explanation.split(":", 1)[0]
    return kind in MODEL_KINDS


def lead_key(finding: Finding) -> tuple[int, bool, float, str]:
    """Sort key putting the finding that should lead its message first: the most severe, then a written
    rule before a model, then the most confident, then the rule id (stable)."""
    return (-SEVERITY_RANK[finding.severity], from_model(finding), -finding.confidence, finding.rule)


@dataclass(frozen=True, slots=True)
class MessageCard:
    """One message's findings as a person reviews them: the leading finding and the ones that support it."""

    lead: Finding
    supporting: tuple[Finding, ...] = ()

    @property
    def findings(self) -> tuple[Finding, ...]:
        return (self.lead, *self.supporting)

    @property
    def severity(self) -> str:
        return self.lead.severity

    @property
    def categories(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.category for f in self.findings))


def message_card(findings: Iterable[Finding]) -> MessageCard | None:
    """The card for one message's findings (None when it has none)."""
    ordered = sorted(findings, key=lead_key)
    return MessageCard(ordered[0], tuple(ordered[1:])) if ordered else None


def needs_attention(findings: list[Finding]) -> bool:
    """Exit status 1 is owed when any finding is at warn or block."""
    return any(SEVERITY_RANK[f.severity] >= SEVERITY_RANK["warn"] for f in findings)
