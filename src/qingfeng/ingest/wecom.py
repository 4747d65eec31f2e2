"""WeCom (企业微信) message-archive records, one decrypted JSON object per line, as message records.

The body sits under the key named by ``msgtype``. Red-packet amounts are in fen and become yuan; file names
and link titles become the text; recalls are kept and marked; other message kinds (votes, calendars…)
are counted by kind in ``skipped`` and left out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from qingfeng.core.models import DEFAULT_ZONE, Message
from qingfeng.ingest.errors import InputProblem, problems_from_validation
from qingfeng.ingest.jsonl import json_objects


class _Bad(Exception):
    def __init__(self, field: str, key: str, got: object = None) -> None:
        super().__init__(key)
        self.field, self.key, self.got = field, key, got

    def problem(self, path: str, line: int) -> InputProblem:
        got = "" if self.got is None else repr(self.got)
        return InputProblem.of(path, line, self.field, self.key, got=got)


def _text(body: dict[str, Any]) -> tuple[str, str, None]:
    return "text", body.get("content") or "", None


def _redpacket(body: dict[str, Any]) -> tuple[str, str, float | None]:
    fen = body.get("totalamount")
    if fen is not None and (not isinstance(fen, int) or isinstance(fen, bool)):
        raise _Bad("totalamount", "fen", fen)
    return "redpacket", body.get("wish") or "", None if fen is None else fen / 100


def _link(body: dict[str, Any]) -> tuple[str, str, None]:
    parts = (body.get("title"), body.get("description"))
    return "link", " ".join(part for part in parts if isinstance(part, str) and part), None


# msgtype → (message type, text, amount) from the body under that key
_MAPPERS = {
    "text": _text,
    "markdown": _text,
    "redpacket": _redpacket,
    "external_redpacket": _redpacket,
    "file": lambda body: ("file", body.get("filename") or "", None),
    "link": _link,
    "weapp": _link,
    "voice": lambda body: ("voice", "", None),
    "image": lambda body: ("image", "", None),  # its picture: by md5sum or sdkfileid (_media)
    "emotion": lambda body: ("sticker", "", None),
}


def read_wecom_lines(
    lines: Iterable[bytes], path: str, skipped: Counter[str] | None = None, first_line: int = 1
) -> Iterator[tuple[int, Message | InputProblem]]:
    """(line number, message or that line's problem); records that are not messages are counted in ``skipped``."""
    for number, record in json_objects(lines, path, first_line):
        if isinstance(record, InputProblem):
            yield number, record
            continue
        try:
            message = _message(record)
        except _Bad as bad:
            yield number, bad.problem(path, number)
            continue
        except ValidationError as error:
            yield number, problems_from_validation(path, number, error)
            continue
        if isinstance(message, str):
            if skipped is not None:
                skipped[message] += 1
            continue
        yield number, message


def _message(record: dict[str, Any]) -> Message | str:
    """The message record, or the kind of record left out (``switch``, ``msgtype vote``…)."""
    action = record.get("action", "send")
    if action == "switch":
        return "switch"
    msgtime = record.get("msgtime")
    if not isinstance(msgtime, int) or isinstance(msgtime, bool):
        raise _Bad("msgtime", "msgtime", msgtime)
    msgtype = record.get("msgtype")
    room = record.get("roomid") or None
    tolist = record.get("tolist") or []
    fields: dict[str, Any] = {
        "id": record.get("msgid"),
        "time": datetime.fromtimestamp(msgtime / 1000, DEFAULT_ZONE),
        "channel": "group" if room else "private",
        "sender": record.get("from"),
        "receiver": tolist[0] if not room and isinstance(tolist, list) and len(tolist) == 1 else None,
        "room": room,
        "recalled": action == "recall",
    }
    if msgtype == "revoke":
        # A recall names the message it takes back: kept as a marked, empty record of that message.
        pre = (record.get("revoke") or {}).get("pre_msgid")
        return Message.model_validate(fields | {"id": pre or fields["id"], "recalled": True})
    mapper = _MAPPERS.get(msgtype) if isinstance(msgtype, str) else None
    if mapper is None:
        return f"msgtype {msgtype}"
    body = record.get(msgtype)
    if not isinstance(body, dict):
        raise _Bad(msgtype, "not_object")
    try:
        kind, text, amount = mapper(body)
    except _Bad as bad:
        raise _Bad(f"{msgtype}.{bad.field}", bad.key, bad.got) from None
    return Message.model_validate(fields | {"type": kind, "text": text, "amount": amount, "media": _media(body)})


def _media(body: dict[str, Any]) -> list[str]:
    """Names a downloaded media file may have: its md5sum, then its sdkfileid (qingfeng.media.folder)."""
    return [name for name in (body.get("md5sum"), body.get("sdkfileid")) if isinstance(name, str) and name]
