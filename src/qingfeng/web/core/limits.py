"""Request bounds, enforced before any handler runs: a body over its limit is answered 413 from its
Content-Length or, lacking one, as soon as the bytes read pass the limit; a form, JSON body, query or path
carrying a NUL character is answered 422 (no person types one, and PostgreSQL cannot store one)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import orjson
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from qingfeng.web.templating import pick

# Bodies that carry files: each file is held to max_upload_mb as it is saved, the request to this many of them.
FILES_PER_REQUEST = 5
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
_FORM_NUL = re.compile(rb"%00|\x00")


class _TooLarge(HTTPException):
    """Raised from the body stream mid-read: an HTTP error, so the framework's body parsing passes it on."""

    def __init__(self) -> None:
        super().__init__(413, "request body too large")


@dataclass(frozen=True)
class BodyLimits:
    check: int  # POST /api/check
    form: int  # any other body without files
    files: int  # a multipart body (uploads)

    def for_request(self, path: str, content_type: bytes) -> int:
        if path == "/api/check":
            return self.check
        return self.files if content_type.startswith(b"multipart/") else self.form


class RequestLimits:
    def __init__(self, app: ASGIApp, limits: BodyLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        content_type = headers.get(b"content-type", b"").lower()
        limit = self.limits.for_request(scope["path"], content_type)
        if "\x00" in scope["path"] or _FORM_NUL.search(scope.get("query_string", b"")):
            await _refuse(scope, send, 422)
            return
        declared = headers.get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await _refuse(scope, send, 413)
            return
        started, read = False, 0

        async def bounded_receive() -> Message:
            nonlocal read
            message = await receive()
            if message["type"] == "http.request":
                read += len(message.get("body", b""))
                if read > limit:
                    raise _TooLarge
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        inner_receive: Receive = bounded_receive
        nul = _JSON_NUL if content_type.startswith(b"application/json") else None
        if content_type.startswith(b"application/x-www-form-urlencoded"):
            nul = _FORM_NUL
        try:
            if nul is not None and scope["method"] in ("POST", "PUT", "PATCH"):
                body = await _read_all(bounded_receive)
                if nul.search(body):
                    await _refuse(scope, send, 422)
                    return
                inner_receive = _replay(body, receive)
            await self.app(scope, inner_receive, watched_send)
        except _TooLarge:
            if not started:
                await _refuse(scope, send, 413)


async def _read_all(receive: Receive) -> bytes:
    parts = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        parts.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(parts)


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body already read, handed on once; after it, the connection's own messages (a disconnect)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


_WORDS = {
    413: ("提交的内容过大。", "The request is too large."),
    422: ("提交的内容含有不允许的字符（NUL）。", "The request contains a character that is not allowed (NUL)."),
}


async def _refuse(scope: Scope, send: Send, status: int) -> None:
    cookies = dict(scope["headers"]).get(b"cookie", b"")
    lang = "en" if b"qf_lang=en" in cookies else "zh"
    detail = pick(lang, *_WORDS[status])
    if scope["path"].startswith("/api/"):
        body, kind = orjson.dumps({"detail": detail}), b"application/json"
    else:
        body, kind = detail.encode(), b"text/plain; charset=utf-8"
    headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode()), (b"connection", b"close")]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
