"""Voice messages (ug-3, xy-4): avoid them at work, above all to someone much more senior.

Seniority comes from the people register in the checker's context (``qingfeng.detectors.context``): a voice
message whose receiver ranks above its sender is a clear breach. Without a register, or where it does
not know both people, the rule can only advise (info).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Literal

from pydantic import Field

from qingfeng.detectors.base import Detector, DetectorSpec, Doc, Hit, register
from qingfeng.detectors.context import PEOPLE
from qingfeng.detectors.form import DOUBTFUL
from qingfeng.ingest.people import Person


@register
class VoiceDetector(Detector):
    kind = "voice"

    class Spec(DetectorSpec):
        kind: Literal["voice"]
        confidence: float = Field(default=0.9, ge=0, le=1)

    def detect(self, doc: Doc) -> Iterable[Hit]:
        message = doc.message
        if message.type != "voice":
            return []
        people: Mapping[str, Person] | None = doc.context.get(PEOPLE)
        sender = people.get(message.sender) if people and message.sender else None
        receiver = people.get(message.receiver) if people and message.receiver else None
        if sender is None or receiver is None or sender.rank is None or receiver.rank is None:
            why = "no people register" if people is None else "the register does not rank both people"
            return [Hit(None, None, DOUBTFUL, why)]
        if receiver.rank <= sender.rank:
            return []
        why = f"to {receiver.name} (rank {receiver.rank}) from {sender.name} (rank {sender.rank})"
        return [Hit(None, None, self.spec.confidence, why, {"receiver_rank": receiver.rank})]
