"""Alerts to group owners through WeCom group robots (群机器人 webhooks).

The webhook file (TOML) names a robot URL per owner, by person id:

    retries = 3          # further attempts after a failed one
    backoff = 1.0        # seconds before the first retry, doubled before each next one
    timeout = 10         # seconds per attempt
    fallback = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…"   # optional

    [owners]
    p001 = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…"

Owners without a URL of their own, and groups with no owner, go to ``fallback`` where there is one.
A robot answers JSON ``{"errcode": N, "errmsg": "…"}``; 0 is success. Busy answers (HTTP 5xx or 429,
errcode -1 or 45009) and unreachable hosts are retried; any other error code fails at once, named.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit, urlunsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from qingfeng.ingest.errors import InputError, problems_from_validation
from qingfeng.ingest.tomlfile import read_toml

RETRY_CODES = frozenset({-1, 45009})  # system busy; over the call-frequency limit


def _url(value: str) -> str:
    if urlsplit(value).scheme not in ("http", "https") or not urlsplit(value).netloc:
        raise ValueError("expected an http(s) URL")
    return value


WebhookURL = Annotated[str, AfterValidator(_url)]


class WebhookSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    owners: dict[str, WebhookURL] = {}
    fallback: WebhookURL | None = None
    retries: int = Field(default=3, ge=0, le=10)
    backoff: float = Field(default=1.0, ge=0, le=60)
    timeout: float = Field(default=10.0, gt=0, le=120)

    def url_for(self, owner: str | None) -> str | None:
        return self.owners.get(owner, self.fallback) if owner is not None else self.fallback


def load_webhooks(path: Path) -> WebhookSettings:
    data = read_toml(path)
    try:
        return WebhookSettings.model_validate(data)
    except ValidationError as error:
        raise InputError(problems_from_validation(str(path), None, error)) from None


class WebhookError(Exception):
    """A robot that could not be reached or refused the message; the text says which and why."""

    def __init__(self, message: str, attempts: int) -> None:
        super().__init__(message)
        self.attempts = attempts


def redact(url: str) -> str:
    """The URL with its key hidden: the key alone lets anyone post to the group."""
    parts = urlsplit(url)
    query = "&".join("key=…" if part.partition("=")[0] == "key" else part for part in parts.query.split("&"))
    return urlunsplit(parts._replace(query=query))


def _attempt(url: str, body: bytes, timeout: float) -> tuple[bool, str]:
    """(worth retrying, what went wrong); what went wrong is empty when the robot took the message."""
    headers = {"Content-Type": "application/json"}
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read()
    except urllib.error.HTTPError as error:
        return error.code >= 500 or error.code == 429, f"HTTP {error.code} {error.reason}"
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        return True, f"cannot reach {urlsplit(url).netloc}: {reason}"
    try:
        answer = json.loads(raw)
        code = int(answer["errcode"])
    except (ValueError, TypeError, KeyError):
        return False, f"unexpected answer (not WeCom's JSON): {raw[:200]!r}"
    if code == 0:
        return False, ""
    return code in RETRY_CODES, f"errcode {code}: {answer.get('errmsg', '')}"


def post_markdown(
    url: str, content: str, settings: WebhookSettings, sleep: Callable[[float], None] = time.sleep
) -> int:
    """Post one markdown message; the number of attempts it took. WebhookError when it could not be sent."""
    body = json.dumps({"msgtype": "markdown", "markdown": {"content": content}}, ensure_ascii=False).encode()
    attempt = 0
    while True:
        attempt += 1
        retry, problem = _attempt(url, body, settings.timeout)
        if not problem:
            return attempt
        if not retry or attempt > settings.retries:
            tries = f" after {attempt} attempts" if attempt > 1 else ""
            raise WebhookError(f"{redact(url)}: {problem}{tries}", attempt)
        sleep(settings.backoff * 2 ** (attempt - 1))


@dataclass(frozen=True)
class Delivery:
    owner: str | None
    url: str | None  # None: no webhook for this owner
    attempts: int = 0
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.url is not None and self.error is None


def notify_owners(
    alerts: dict[str | None, str], settings: WebhookSettings, sleep: Callable[[float], None] = time.sleep
) -> list[Delivery]:
    """Send each owner's alert to their robot; one Delivery per owner, failures included."""
    deliveries = []
    for owner, content in alerts.items():
        url = settings.url_for(owner)
        if url is None:
            deliveries.append(Delivery(owner, None))
            continue
        try:
            deliveries.append(Delivery(owner, url, post_markdown(url, content, settings, sleep)))
        except WebhookError as error:
            deliveries.append(Delivery(owner, url, error.attempts, str(error)))
    return deliveries
