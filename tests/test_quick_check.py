"""The plain check path (``cli.quick``) prints what the full command line prints: the same bytes, the same exit
status, and it hands whatever it does not read to typer."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from rich.cells import get_character_cell_size
from rich.console import Console

from qingfeng.core.models import Message
from qingfeng.pipeline.engine import Checker
from qingfeng.report.lines import _NARROW, _WIDE, finding_lines, plain_answer
from qingfeng.report.text import render_findings
from qingfeng.rulebook.loader import Rulebook
from qingfeng.samples.synth import Generator

QUICK = "from qingfeng.cli import main; main()"  # the console script: the plain path first
FULL = "from qingfeng.cli import app; app()"  # typer alone


def test_the_cell_widths_are_rich_s() -> None:
    for ranges, cells in ((_NARROW, 1), (_WIDE, 2)):
        for low, high in ranges:
            for code in range(low, high + 1):
                assert get_character_cell_size(chr(code)) == cells, hex(code)


def _texts(rulebook: Rulebook) -> list[Message]:
    records = list(Generator(seed=3, problem_share=0.5, rulebook=rulebook).records(300))
    odd = ["  前后有空格  ", "两行\n第二行", "\n开头空行", "tab\t分隔", "结尾回车\r", "", "a" * 79, "汉" * 40,
           "表情😀", "[强][握手]", "全角　空格", "《通知》——请“准时”参加…"]
    return [Message.model_validate(record) for record in records] + [Message(text=text) for text in odd]


def test_plain_answer_is_what_rich_prints(checker: Checker, rulebook: Rulebook) -> None:
    plain = 0
    for message in _texts(rulebook):
        findings = checker.check(message)
        for lang in ("zh", "en"):
            for width in (80, 60, 200):
                answer = plain_answer(message.text, finding_lines(findings, rulebook, lang), width)
                if answer is None:
                    continue
                buffer = io.StringIO()
                render_findings(Console(file=buffer, width=width, highlight=False), message.text, findings, rulebook,
                                lang)
                assert answer == buffer.getvalue(), message.text
                plain += 1
    assert plain > 300  # most answers were compared, not handed to rich


def _run(script: str, argv: list[str], stdin: str | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {key: value for key, value in os.environ.items() if key not in ("COLUMNS", "FORCE_COLOR", "TTY_COMPATIBLE")}
    return subprocess.run([sys.executable, "-c", script, "check", *argv], capture_output=True, check=False, env=env,
                          input=None if stdin is None else stdin.encode(), stdin=None if stdin else subprocess.DEVNULL)


@pytest.mark.parametrize("argv", [
    ["你好，明天开会"],
    ["这是机密文件，大家别外传", "--channel", "group", "--room-name", "某局工作群"],
    ["你个sb", "--lang", "en"],
    ["--lang=en", "--format=json", "把机密文件发我微信"],
    ["周末一起吃饭", "--channel", "group", "--room-name", "县财政局办公室工作群", "--time", "2026-03-07T23:30"],
    ["红包", "--type", "redpacket", "--amount", "200", "--sender", "u1", "--receiver", "u2"],
    ["明天开会", "--channel", "nowhere"],  # a bad field: exit 2, named
    ["明天开会", "--amount", "lots"],  # not a number: typer's error
    ["明天开会", "--format", "xml"],
    ["明天开会", "--unknown"],
    ["明天开会", "另一段"],
    ["--help"],
    ["明天开会", "--time", "2031-05-01T10:00"],  # a year without holidays: the calendar's note on stderr
])
def test_the_plain_path_prints_what_typer_prints(argv: list[str]) -> None:
    quick, full = _run(QUICK, argv), _run(FULL, argv)
    assert (quick.returncode, quick.stdout, quick.stderr) == (full.returncode, full.stdout, full.stderr)
    assert quick.returncode in (0, 1, 2)


def test_standard_input() -> None:
    text = "这是机密文件\n大家别外传\n"
    quick, full = _run(QUICK, ["-", "--format", "json"], text), _run(FULL, ["-", "--format", "json"], text)
    assert (quick.returncode, quick.stdout) == (full.returncode, full.stdout) and quick.stdout.startswith(b"[")


def test_a_plain_check_loads_no_command_line_framework() -> None:
    script = f"import atexit, sys\natexit.register(lambda: print(sorted(sys.modules), file=sys.stderr))\n{QUICK}"
    done = _run(script, ["你好，明天开会"])
    assert done.returncode == 0 and b"'qingfeng.pipeline.engine'" in done.stderr
    assert not [name for name in ("typer", "click", "rich") if f"'{name}'".encode() in done.stderr]


@pytest.mark.parametrize(("lang", "said"), [("zh", "由禁止降为警告"), ("en", "moved from block to warn")])
def test_the_answer_says_why_the_verifier_moved_a_finding(checker: Checker, rulebook: Rulebook, lang: str,
                                                          said: str) -> None:
    findings = checker.check(Message(text="游戏里的内部资料站更新了攻略"))  # SEC002's block on a game's guide site
    (moved,) = [finding for finding in findings if finding.why is not None and finding.why.doubt is not None]
    answer = "\n".join("".join(part for part, _ in line) for line in finding_lines(findings, rulebook, lang))
    assert moved.severity == "warn" and said in answer
    assert all(word in answer for word in moved.why.doubt.words)
