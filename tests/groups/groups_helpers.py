"""Small builders for group-audit tests: registers from rows, messages, CSV files, a stand-in WeCom robot."""

from __future__ import annotations

import json
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import count
from pathlib import Path
from typing import Any

from qingfeng.core.models import Message
from qingfeng.groups.audit import AuditResult, run_audit
from qingfeng.ingest.groups import Group, Member, Register
from qingfeng.ingest.people import Person

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "groups"
_ids = count(1)


def register(groups: list[dict[str, Any]], members: list[dict[str, Any]], people: list[dict[str, Any]]) -> Register:
    parsed = [Group.model_validate({"owner": "", **row}) for row in groups]
    persons = [Person.model_validate(row) for row in people]
    return Register(
        {group.room: group for group in parsed},
        [Member.model_validate(row) for row in members],
        {person.id: person for person in persons},
    )


def message(time: str, room: str, sender: str, text: str, **fields: Any) -> Message:
    record = {
        "id": f"t{next(_ids)}",
        "time": time,
        "channel": "group",
        "room": room,
        "sender": sender,
        "text": text,
    }
    return Message.model_validate(record | fields)


def audit(reg: Register, as_of: str, select: str, messages: list[Message] | None = None, **options: Any) -> AuditResult:
    return run_audit(reg, as_of=date.fromisoformat(as_of), messages=messages, select=[select], **options)


def write_csv(path: Path, header: str, rows: list[str]) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


class Robot:
    """A stand-in WeCom robot: answers each POST with the next scripted (HTTP status, body)."""

    def __init__(self, answers: list[tuple[int, object]]) -> None:
        self.answers = list(answers)
        self.received: list[tuple[str, dict]] = []
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                robot.received.append((self.path, json.loads(body)))
                status, answer = robot.answers.pop(0) if robot.answers else (200, {"errcode": 0, "errmsg": "ok"})
                payload = answer.encode() if isinstance(answer, str) else json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)

    def url(self, key: str = "secret-key") -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/cgi-bin/webhook/send?key={key}"
