"""The HTML audit page: every finding shown, everything escaped, nothing fetched from elsewhere."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser
from pathlib import Path

from groups_helpers import EXAMPLES, message, register
from typer.testing import CliRunner

from qingfeng.cli import app
from qingfeng.groups.audit import run_audit
from qingfeng.report.groups_html import render_html


class Page(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def rows(self) -> list[str | None]:
        return [attrs.get("data-rule") for tag, attrs in self.tags if tag == "tr" and attrs.get("class") == "finding"]


def _hostile_result():
    groups = [{"room": "g1", "room_name": "<b>办公室</b>工作群", "kind": "work", "owner": "p1"}]
    members = [{"room": "g1", "member": "wxid_1", "remark": "<script>alert(1)</script>"}]
    people = [{"id": "p1", "name": "张三"}, {"id": "p2", "name": "李四"}]
    leak = message("2024-05-14T23:30", "g1", "p2", "刚拿到的机密文件<img src=x>，我拍了几张放群里")
    return run_audit(register(groups, members, people), as_of=date(2024, 5, 20), messages=[leak])


def test_every_finding_is_shown_and_nothing_is_fetched_or_run() -> None:
    result = _hostile_result()
    page = Page(render_html(result))
    assert page.rows() == [f.rule for f in result.findings] and len(result.findings) == 2
    tags = {tag for tag, _ in page.tags}
    assert not tags & {"script", "img", "link", "iframe", "b"}, tags
    text = "".join(page.text)
    assert "<script>alert(1)</script>" in text and "<b>办公室</b>工作群 [g1]" in text  # shown as text
    assert "工作群审计（截至 2024-05-20）" in text and "各群消息情况" in text


def test_the_english_page() -> None:
    text = "".join(Page(render_html(_hostile_result(), "en")).text)
    assert "Work-group audit (as of 2024-05-20)" in text and "Messages per group" in text
    assert ("lang", "en") in Page(render_html(_hostile_result(), "en")).tags[0][1].items()


def test_the_html_format_from_the_command_line(tmp_path: Path) -> None:
    out = tmp_path / "audit.html"
    files = [
        "--groups",
        "groups.csv",
        "--members",
        "members.csv",
        "--people",
        "people.csv",
        "--archive",
        "archive.jsonl",
    ]
    result = CliRunner().invoke(
        app,
        [
            "groups",
            "audit",
            *[str(EXAMPLES / f) if f.endswith(("csv", "jsonl")) else f for f in files],
            "--as-of",
            "2024-05-20",
            "--format",
            "html",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 1, result.output
    page = Page(out.read_text(encoding="utf-8"))
    assert len(page.rows()) == 12
    assert "groups.csv:9" in "".join(page.text)  # the rows left out are listed on the page too
