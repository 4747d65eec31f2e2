"""The HTML scan report: one self-contained page whose marked spans are the findings' spans."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import orjson
from typer.testing import CliRunner

from qingfeng.cli import app

SAMPLE = Path(__file__).parents[1] / "src" / "qingfeng" / "samples" / "archive.jsonl"
WECOM = Path(__file__).parents[1] / "examples" / "scan" / "wecom.jsonl"
runner = CliRunner()


class _Page(HTMLParser):
    """Card rows (leading rule, line, marked texts), ids present, and every URL the page would load."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[str, int, tuple[str, ...]]] = []
        self.ids: set[str] = set()
        self.urls: list[str] = []
        self.rects = 0
        self.recalled = 0
        self._mark: list[str] | None = None
        self._row: tuple[str, int] | None = None
        self._marks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(found["id"] or "")
        for key in ("src", "href"):
            if found.get(key) and not (found[key] or "").startswith("#"):
                self.urls.append(found[key] or "")
        if tag == "link" or tag == "script":
            self.urls.append(tag)
        if tag == "rect":
            self.rects += 1
        if tag == "tr" and "finding" in (found.get("class") or ""):
            self._row, self._marks = (found["data-rule"] or "", int(found["data-line"] or 0)), []
        if tag == "mark":
            self._mark = []
        if tag == "span" and found.get("class") == "recalled":
            self.recalled += 1

    def handle_data(self, data: str) -> None:
        if self._mark is not None:
            self._mark.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark" and self._mark is not None:
            self._marks.append("".join(self._mark))
            self._mark = None
        elif tag == "tr" and self._row is not None:
            self.rows.append((*self._row, tuple(self._marks)))
            self._row = None


def _scan(tmp_path: Path, source: Path, *extra: str) -> tuple[str, list[dict]]:
    html, jsonl = tmp_path / "report.html", tmp_path / "findings.jsonl"
    result = runner.invoke(app, ["scan", str(source), "--format", "html", "--out", str(html), *extra])
    assert result.exit_code == 1, result.output
    runner.invoke(app, ["scan", str(source), "--format", "jsonl", "--out", str(jsonl), *extra])
    return html.read_text(encoding="utf-8"), [orjson.loads(line) for line in jsonl.read_bytes().splitlines()]


def test_report_has_every_part_and_loads_nothing(tmp_path: Path) -> None:
    html, findings = _scan(tmp_path, SAMPLE)
    page = _Page()
    page.feed(html)
    assert {"totals", "by-category", "heat", "top-rooms", "top-senders", "findings"} <= page.ids
    assert page.urls == [], "the report must open offline: no stylesheet, script, image or link fetched"
    assert page.rects == 7 * 24
    assert "<style>" in html and "扫描汇总" not in html and "问题类别与级别" in html
    for clause in {c for f in findings for c in f["sources"][:3]}:
        assert f'id="clause-{clause}"' in html


def test_one_card_per_message_led_by_the_jsonl_lead(tmp_path: Path) -> None:
    html, findings = _scan(tmp_path, SAMPLE)
    page = _Page()
    page.feed(html)
    leads = [(f["rule"], f["line"]) for f in findings if f["lead"]]
    assert Counter((rule, line) for rule, line, _ in page.rows) == Counter(leads)
    assert len(leads) == len({f["line"] for f in findings}), "exactly one lead per message"
    texts = {i: orjson.loads(line)["text"] for i, line in enumerate(SAMPLE.read_bytes().splitlines(), start=1)}
    marks = {line: marked for _, line, marked in page.rows}
    for f in findings:  # every span of every finding lies in one mark of its card (overlaps merged)
        if f["start"] is not None:
            assert any(texts[f["line"]][f["start"] : f["end"]] in mark for mark in marks[f["line"]]), f["rule"]


def test_report_in_english_and_recalls_marked(tmp_path: Path) -> None:
    html, _ = _scan(tmp_path, WECOM, "--lang", "en")
    page = _Page()
    page.feed(html)
    assert 'lang="en"' in html and "Findings by category and severity" in html and "问题明细" not in html
    assert page.recalled >= 1, "the file recalled in the archive is marked as recalled"


def test_a_card_the_verifier_lowered_says_why_in_the_report_language(tmp_path: Path) -> None:
    """Banter that the verifier doubts is shown as advice, with the words that made it doubt; a threat is not."""
    source = tmp_path / "chat.jsonl"
    records = [{"id": "a", "time": "2026-03-02T10:05:00+08:00", "channel": "group", "room": "r1",
                "text": "老同学，你还是那么欠揍哈哈，二十年了一点没变"},
               {"id": "b", "time": "2026-03-02T10:07:00+08:00", "channel": "group", "room": "r1",
                "text": "你这个傻逼，再发这种东西我弄死你"}]
    source.write_bytes(b"".join(orjson.dumps(record) + b"\n" for record in records))
    for lang, said in (("zh", "降为提示"), ("en", "lowered to advice")):
        html, findings = _scan(tmp_path, source, "--lang", lang)
        lowered = [f for f in findings if f["line"] == 1 and f["lead"]]
        assert lowered and lowered[0]["severity"] == "info"
        notes = html.count('class="lowered"')
        card = html.split('class="lowered"')[1].split("</div>")[0]
        words = lowered[0]["doubt"]["words"]  # the card reads the doubt the JSON record carries
        assert notes == 1 and said in card and words and all(w in card and w in records[0]["text"] for w in words)
