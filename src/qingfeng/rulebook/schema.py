"""The shape of a rule, validated at load so a malformed rule is rejected with its file and id named."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from qingfeng.core.models import CATEGORIES, SEVERITIES, Channel, Message, MessageType, Severity
from qingfeng.text.rooms import ROOM_KINDS

Category = Literal[
    "secrecy", "privacy", "gifts", "fraud", "spam", "chain", "rumor",
    "vulgar", "illegal", "abuse", "etiquette", "group", "account", "report",
]
RoomKind = Literal["work", "notice", "project", "branch", "family", "friends", "other"]
assert set(Category.__args__) == set(CATEGORIES) and set(RoomKind.__args__) == set(ROOM_KINDS)


class _Strict(BaseModel):
    # defer_build: the schema is built at the first validation, which a rulebook read from the cache never needs
    model_config = ConfigDict(extra="forbid", defer_build=True, frozen=True)


class Localized(_Strict):
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


class Scopes(_Strict):
    """Where a rule applies. Absent means everywhere; `rooms` narrows group messages only."""

    channels: list[Channel] | None = None
    types: list[MessageType] | None = None
    rooms: list[RoomKind] | None = None
    min_amount: float | None = None
    max_amount: float | None = None

    def admits(self, message: Message, room_kind: str) -> bool:
        if self.channels is not None and message.channel not in self.channels:
            return False
        if self.types is not None and message.type not in self.types:
            return False
        if self.rooms is not None and message.channel == "group" and room_kind not in self.rooms:
            return False
        if self.min_amount is not None and (message.amount is None or message.amount < self.min_amount):
            return False
        return not (self.max_amount is not None and message.amount is not None and message.amount > self.max_amount)


class Example(_Strict):
    """A message a rule must fire on (or pass). A plain string is a private text message."""

    model_config = ConfigDict(extra="forbid", defer_build=True, frozen=True)

    text: str
    channel: Channel = "private"
    type: MessageType = "text"
    room_name: str | None = None
    amount: float | None = None
    time: str | None = None
    sender_name: str | None = None
    sender: str | None = None  # person ids, for rules that read a people register
    receiver: str | None = None

    def message(self) -> Message:
        return Message.model_validate(self.model_dump(exclude_none=True) | {"id": "example"})


def _example(value: Any) -> Any:
    return {"text": value} if isinstance(value, str) else value


class Examples(_Strict):
    """Inputs the rule must fire on and pass. For message rules each is an Example (or a plain string);
    ledger and group rules give records of their own input kind, which their module validates."""

    model_config = ConfigDict(extra="forbid", defer_build=True, frozen=True, populate_by_name=True)

    fire: list[Any] = Field(min_length=1)
    pass_: list[Any] = Field(alias="pass", min_length=1)

    def messages(self, which: Literal["fire", "pass"]) -> list[Example]:
        items = self.fire if which == "fire" else self.pass_
        return [Example.model_validate(_example(item)) for item in items]


class Rule(_Strict):
    id: str = Field(pattern=r"^[A-Z]{3}[0-9]{3}$")
    title: Localized
    category: Category
    severity: Severity
    # The highest severity a hit may raise this rule to (a ledger's limit broken, money taken in working
    # hours); without it the rule's severity is the most any of its findings gets.
    escalate: Severity | None = None
    # Whether the learned verifier (``pipeline.verifier``) may lower its hits: false for a model-free strong
    # signal (a checked ID or card number, a classification marking), which no words around it undo.
    verify: bool = True
    # The categories it yields to: its findings stand aside, as advice, on a message where a rule of one of them
    # that yields to none stands at warn or block. A fake notice's missing signature is not what an officer needs
    # told (ETQ004 yields to every content category).
    yields: list[Category] = Field(default_factory=list)
    status: Literal["stable", "preview", "deprecated"] = "stable"
    # What the rule reads: single messages (the engine), transfer ledgers, or group registers.
    input: Literal["message", "ledger", "groups"] = "message"
    scopes: Scopes = Scopes()
    detector: dict[str, Any]
    description: Localized  # what it checks
    message: Localized  # the problem, as a finding states it
    advice: Localized  # how to fix
    sources: list[str] = Field(min_length=1)
    examples: Examples

    @field_validator("detector")
    @classmethod
    def _has_kind(cls, value: dict[str, Any]) -> dict[str, Any]:
        if not isinstance(value.get("kind"), str):
            raise ValueError("detector needs a `kind`")
        return value

    @model_validator(mode="after")
    def _escalates_upwards(self) -> Rule:
        if self.escalate is not None and SEVERITIES.index(self.escalate) <= SEVERITIES.index(self.severity):
            raise ValueError(f"escalate ({self.escalate}) must be above the severity ({self.severity})")
        return self

    @model_validator(mode="after")
    def _message_examples_valid(self) -> Rule:
        if self.input == "message":
            self.examples.messages("fire")
            self.examples.messages("pass")
        return self
