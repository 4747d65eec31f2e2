"""Owner alerts over WeCom robot webhooks, against a real HTTP server on 127.0.0.1 started by the test."""

from __future__ import annotations

import socket
from datetime import date
from pathlib import Path

import pytest
from groups_helpers import EXAMPLES, register

from qingfeng.groups.audit import run_audit
from qingfeng.groups.notify import (
    WebhookError,
    WebhookSettings,
    load_webhooks,
    notify_owners,
    post_markdown,
    redact,
)
from qingfeng.ingest.errors import InputError
from qingfeng.report.groups_text import ALERT_BYTES, ALERT_LIMIT, owner_alerts


def _dead_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


FAST = WebhookSettings(retries=2, backoff=0.01, timeout=5)
OK = (200, {"errcode": 0, "errmsg": "ok"})


def test_a_markdown_message_is_posted(robot) -> None:
    server = robot()
    assert post_markdown(server.url(), "## 提醒\n> 内容", FAST) == 1
    ((path, body),) = server.received
    assert path == "/cgi-bin/webhook/send?key=secret-key"
    assert body == {"msgtype": "markdown", "markdown": {"content": "## 提醒\n> 内容"}}


def test_an_error_code_fails_at_once_and_says_which(robot) -> None:
    server = robot([(200, {"errcode": 93000, "errmsg": "invalid webhook url"})])
    with pytest.raises(WebhookError) as raised:
        post_markdown(server.url(), "x", FAST)
    message = str(raised.value)
    assert "errcode 93000: invalid webhook url" in message
    assert "secret-key" not in message and "key=" in message  # the key lets anyone post: never shown
    assert raised.value.attempts == 1 and len(server.received) == 1


@pytest.mark.parametrize(
    "busy",
    [
        (500, "Internal Server Error"),
        (503, "unavailable"),
        (429, "slow down"),
        (200, {"errcode": -1, "errmsg": "busy"}),
        (200, {"errcode": 45009, "errmsg": "api freq out of limit"}),
    ],
)
def test_busy_answers_are_retried_with_growing_pauses(robot, busy) -> None:
    server = robot([busy, busy, OK])
    pauses: list[float] = []
    assert post_markdown(server.url(), "x", FAST, sleep=pauses.append) == 3
    assert pauses == [0.01, 0.02]
    assert len(server.received) == 3


def test_retries_are_bounded(robot) -> None:
    server = robot([(500, "no")] * 5)
    pauses: list[float] = []
    with pytest.raises(WebhookError, match=r"HTTP 500.*after 3 attempts") as raised:
        post_markdown(server.url(), "x", FAST, sleep=pauses.append)
    assert raised.value.attempts == 3 and len(server.received) == 3 and len(pauses) == 2


def test_a_client_error_or_a_strange_answer_is_not_retried(robot) -> None:
    server = robot([(404, "not here"), (200, "<html>proxy login</html>")])
    with pytest.raises(WebhookError, match="HTTP 404"):
        post_markdown(server.url(), "x", FAST)
    with pytest.raises(WebhookError, match="unexpected answer"):
        post_markdown(server.url(), "x", FAST)
    assert len(server.received) == 2


def test_a_dead_port_is_retried_then_reported() -> None:
    url = f"http://127.0.0.1:{_dead_port()}/cgi-bin/webhook/send?key=k"
    pauses: list[float] = []
    with pytest.raises(WebhookError, match=r"cannot reach 127\.0\.0\.1:\d+.*after 3 attempts"):
        post_markdown(url, "x", FAST, sleep=pauses.append)
    assert len(pauses) == 2


def test_redact_hides_only_the_key() -> None:
    url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx&debug=1"
    assert redact(url) == "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…&debug=1"


# --- configuration ---------------------------------------------------------------------------------------


def test_the_webhook_file(tmp_path: Path) -> None:
    path = tmp_path / "webhooks.toml"
    path.write_text(
        'retries = 1\nbackoff = 0.5\nfallback = "https://example.org/hook?key=f"\n\n'
        '[owners]\np001 = "https://example.org/hook?key=a"\n',
        encoding="utf-8",
    )
    settings = load_webhooks(path)
    assert (settings.retries, settings.backoff, settings.timeout) == (1, 0.5, 10.0)
    assert settings.url_for("p001").endswith("key=a")
    assert settings.url_for("p002").endswith("key=f") and settings.url_for(None).endswith("key=f")
    assert WebhookSettings(owners={"p001": "https://example.org/a"}).url_for("p002") is None


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("retries = \n", "not valid TOML"),
        ('[owners]\np001 = "qyapi.weixin.qq.com/send"\n', "owners.p001"),
        ("retries = 99\n", "retries"),
        ('fallbak = "https://example.org"\n', "fallbak"),
    ],
)
def test_a_bad_webhook_file_is_an_input_error_naming_it(tmp_path: Path, text: str, complaint: str) -> None:
    path = tmp_path / "hooks.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as raised:
        load_webhooks(path)
    assert "hooks.toml" in str(raised.value) and complaint in str(raised.value)


# --- one alert per owner ---------------------------------------------------------------------------------


def _result(strangers: int = 1):
    groups = [
        {"room": "g1", "room_name": "办公室工作群", "kind": "work", "owner": "p1"},
        {"room": "g2", "room_name": "通知群", "kind": "notice", "owner": "p2"},
        {"room": "g3", "room_name": "支部群", "kind": "branch", "owner": ""},
        {"room": "g4", "room_name": "项目群", "kind": "project", "owner": "p3"},
    ]
    members = [{"room": "g1", "member": f"wxid_{n}", "remark": f"访客{n}号"} for n in range(strangers)]
    members.append({"room": "g2", "member": "p1", "remark": "老张"})
    people = [{"id": "p1", "name": "张三"}, {"id": "p2", "name": "李四"}, {"id": "p3", "name": "王五"}]
    return run_audit(register(groups, members, people), as_of=date(2024, 5, 20))


def test_one_alert_per_owner_about_their_own_groups() -> None:
    alerts = owner_alerts(_result())
    assert set(alerts) == {"p1", "p2", None}  # p3's group is in order
    assert "张三" in alerts["p1"] and "访客0号" in alerts["p1"] and "GRP003" in alerts["p1"]
    assert "老张" in alerts["p2"] and "办公室工作群" not in alerts["p2"]
    assert "支部群" in alerts[None] and "GRP001" in alerts[None]
    assert '<font color="warning">警告</font>' in alerts["p1"]
    assert "groups owned by" in owner_alerts(_result(), "en")["p1"]


def test_a_long_alert_stays_within_the_robot_limit() -> None:
    alerts = owner_alerts(_result(strangers=300))
    assert ALERT_BYTES - 200 < len(alerts["p1"].encode()) <= ALERT_LIMIT == 4096
    assert "另有" in alerts["p1"]


def test_notify_owners_routes_each_alert(robot) -> None:
    own, fallback = robot(), robot([(200, {"errcode": 93000, "errmsg": "invalid webhook url"})])
    settings = WebhookSettings(owners={"p1": own.url("one")}, fallback=fallback.url("all"), retries=0)
    deliveries = {d.owner: d for d in notify_owners({"p1": "甲", "p2": "乙"}, settings)}
    assert deliveries["p1"].ok and deliveries["p1"].attempts == 1
    assert not deliveries["p2"].ok and "errcode 93000" in deliveries["p2"].error
    assert [body["markdown"]["content"] for _, body in own.received] == ["甲"]
    assert [body["markdown"]["content"] for _, body in fallback.received] == ["乙"]
    nowhere = notify_owners({"p9": "丙"}, WebhookSettings())
    assert nowhere[0].url is None and not nowhere[0].ok


def test_the_template_webhook_file_is_valid() -> None:
    settings = load_webhooks(EXAMPLES / "webhooks.toml")
    assert sorted(settings.owners) == ["p001", "p002", "p003"] and settings.fallback is not None
