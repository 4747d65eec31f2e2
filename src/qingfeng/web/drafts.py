"""A self-check draft as the form sends it, and how it becomes a message record for the engine."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Form

from qingfeng.core.models import DEFAULT_ZONE, Message
from qingfeng.store.models import Draft
from qingfeng.text.rooms import ROOM_KINDS

# The form lets a member say what kind of group a draft is for; these pseudo-rooms tell the engine
# through its ordinary room register (see create_app).
KIND_ROOM = "qingfeng:kind:"
KIND_ROOMS = {KIND_ROOM + kind: kind for kind in ROOM_KINDS}
ROOM_KIND_LABELS = {
    "work": ("工作群", "work group"),
    "notice": ("通知群", "notice group"),
    "project": ("项目群", "project group"),
    "branch": ("党支部群", "party branch group"),
    "family": ("家庭群", "family group"),
    "friends": ("朋友群", "friends' group"),
    "other": ("其他群", "other group"),
}
ROOM_KIND_CHOICES = [(kind, *ROOM_KIND_LABELS[kind]) for kind in ROOM_KINDS]
CHANNEL_LABELS = {"group": ("群聊", "group chat"), "private": ("私聊", "one-to-one"), "moments": ("朋友圈", "Moments")}
CHANNELS = tuple(CHANNEL_LABELS)


@dataclass
class DraftForm:
    text: str = ""
    channel: str = "group"
    room_kind: str = "work"
    room_name: str = ""
    time: str = ""  # as the datetime-local input sends it, China time

    def message(self) -> Message:
        fields: dict[str, object] = {"text": self.text, "channel": self.channel}
        if self.channel == "group":
            fields["room"] = KIND_ROOM + self.room_kind
            fields["room_name"] = self.room_name or None
        if self.time:
            fields["time"] = self.time
        return Message.model_validate(fields)


def draft_form(
    text: Annotated[str, Form(max_length=20000)] = "",
    channel: Annotated[str, Form()] = "group",
    room_kind: Annotated[str, Form()] = "work",
    room_name: Annotated[str, Form(max_length=255)] = "",
    time: Annotated[str, Form(max_length=32)] = "",
) -> DraftForm:
    return DraftForm(
        text,
        channel if channel in CHANNELS else "group",
        room_kind if room_kind in ROOM_KINDS else "other",
        room_name.strip(),
        time,
    )


DraftFormDep = Annotated[DraftForm, Depends(draft_form)]


def form_of(draft: Draft) -> DraftForm:
    """A saved draft back in the form, as it was: its channel, kind of group, group name and time."""
    sent = draft.sent_at.astimezone(DEFAULT_ZONE).strftime("%Y-%m-%dT%H:%M") if draft.sent_at else ""
    return DraftForm(draft.text, draft.channel, draft.room_kind or "work", draft.room_name or "", sent)
