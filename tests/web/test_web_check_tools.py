"""/check's tools (帮我改好, the notice drafter), saved drafts reopened for editing, and the quiz's answers, over a
live server on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

from sqlalchemy import func, select

from qingfeng.coach.compose import draft_notice, fitted
from qingfeng.store.models import Draft
from qingfeng.web.drafts import DraftForm

from .conftest import Browser, Server
from .test_web_api import count, unique

HTMX = {"HX-Request": "true"}
NOTICE_DRAFT = "明天上午9点在三楼会议室开会。请带上笔记本。请提前十分钟到场。请各科室报送材料。"


def selected(page: str, name: str) -> str | None:
    block = re.search(rf'<select name="{name}">(.*?)</select>', page, re.S)
    assert block, name
    found = re.search(r'<option value="([^"]+)" selected', block.group(1))
    return found.group(1) if found else None


def test_fix_it_for_me_matches_the_cli(server: Server) -> None:
    form = {"text": NOTICE_DRAFT, "channel": "group", "room_kind": "work", "time": "2026-03-04T10:00"}
    browser = Browser(server.client())  # anyone may use it, signed in or not
    fragment = browser.http.post("/check/fix", data=form, headers=HTMX | {"X-CSRF-Token": browser.csrf("/check")})
    assert fragment.status_code == 200
    expected = fitted(NOTICE_DRAFT, DraftForm(**form).message().time, "zh")
    assert expected is not None
    shown = re.search(r'<pre class="prewrap" id="fixed-text">(.*?)</pre>', fragment.text, re.S)
    assert shown and unescape(shown.group(1)) == expected.text
    assert "落款" in fragment.text  # what was added is said
    plain = browser.post_form("/check/fix", form)
    assert plain.status_code == 200 and 'id="fixed-text"' in plain.text and "<textarea" in plain.text
    chat = browser.http.post(
        "/check/fix", data=form | {"text": "哈哈好的"}, headers=HTMX | {"X-CSRF-Token": browser.csrf("/check")}
    )
    assert 'data-testid="fix-none"' in chat.text
    no_csrf = server.client().post("/check/fix", data=form)
    assert no_csrf.status_code == 400


def test_the_notice_drafter_matches_draft_notice(server: Server) -> None:
    browser = Browser(server.client())
    form = {
        "title": "召开一季度预算执行分析会",
        "to": "各股室",
        "items": "时间：本周四下午2:30\n地点：三楼会议室",
        "signature": "县财政局办公室",
        "day": "2026-03-02",
        "reply": "true",
    }
    fragment = browser.http.post("/check/notice", data=form, headers=HTMX | {"X-CSRF-Token": browser.csrf("/check")})
    shown = re.search(r'<pre class="prewrap" id="notice-text">(.*?)</pre>', fragment.text, re.S)
    expected = draft_notice(
        title=form["title"],
        to=form["to"],
        items=form["items"].splitlines(),
        signature=form["signature"],
        day=date(2026, 3, 2),
        reply=True,
    )
    assert shown and unescape(shown.group(1)) == expected
    bad_day = browser.post_form("/check/notice", form | {"day": "下周四"})
    assert bad_day.status_code == 422 and "下周四" in bad_day.text
    no_title = browser.http.post(
        "/check/notice", data={"title": " "}, headers=HTMX | {"X-CSRF-Token": browser.csrf("/check")}
    )
    assert "请填写事由" in no_title.text


def test_a_saved_draft_reopens_with_its_settings_and_saves_back(server: Server) -> None:
    alice, bob = unique("a"), unique("b")
    server.add_user(alice, "member")
    server.add_user(bob, "member")
    browser = server.login(alice)
    form = {
        "text": "这是机密文件，别外传",
        "channel": "group",
        "room_kind": "notice",
        "room_name": "县教育局通知群",
        "time": "2026-03-04T23:30",
    }
    saved = browser.post_form("/check/save", form)
    draft_id = int(re.search(r'href="/drafts/(\d+)"', saved.text).group(1))
    draft_page = browser.http.get(f"/drafts/{draft_id}").text
    assert (
        f'href="/check?draft={draft_id}"' in draft_page and "通知群" in draft_page and "2026-03-04 23:30" in draft_page
    )

    reopened = browser.http.get(f"/check?draft={draft_id}").text
    assert "这是机密文件，别外传</textarea>" in reopened
    assert selected(reopened, "channel") == "group" and selected(reopened, "room_kind") == "notice"
    assert 'value="县教育局通知群"' in reopened and 'value="2026-03-04T23:30"' in reopened
    assert f'name="draft_id" value="{draft_id}"' in reopened
    assert 'mark class="sev-' in reopened  # its findings are shown again

    drafts = select(func.count(Draft.id))
    before = count(server, drafts)
    edited = browser.post_form(
        "/check/save", form | {"text": "明天上午九点开会", "channel": "private", "draft_id": str(draft_id)}
    )
    assert edited.status_code == 200 and count(server, drafts) == before
    again = browser.http.get(f"/check?draft={draft_id}").text
    assert "明天上午九点开会</textarea>" in again and selected(again, "channel") == "private"

    other = server.login(bob)
    assert other.http.get(f"/check?draft={draft_id}").status_code == 404
    stolen = other.post_form("/check/save", form | {"draft_id": str(draft_id)})
    assert stolen.status_code == 404
    signed_out = Browser(server.client()).http.get(f"/check?draft={draft_id}")
    assert signed_out.status_code == 303 and signed_out.headers["location"] == f"/login?next=/check?draft={draft_id}"


def test_quiz_answers_say_why(server: Server) -> None:
    browser = Browser(server.client())
    for _ in range(6):
        question = browser.http.get("/api/quiz/question").json()
        assert question["kind"] in ("fine", "problem")
        assert not any(re.search(r"[a-z]{2,3}-[0-9]", option["label"]) for option in question["options"])
        answer = browser.http.post(
            "/api/quiz/answer", json={"question": question["id"], "answer": question["options"][0]["value"]}
        ).json()
        assert len(answer["answers"]) == 1 and answer["why"]
        page = browser.post_form("/learn/answer", {"question": question["id"], "answer": "nonsense"}, page="/learn")
        assert 'data-testid="why"' in page.text and 'data-testid="right-answer"' in page.text
