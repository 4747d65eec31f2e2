"""A rule's context (``unless``, ``unless_near``, ``unless_before``, ``boost``) is declared in YAML for rules of
any kind and applied by the one context stage: here form, timing and voice rules, which do not read their
context themselves, edited in a copy of the rulebook."""

from __future__ import annotations

from pathlib import Path

import pytest

from qingfeng.core.models import ContextMove, Message
from qingfeng.detectors.context import example_context
from qingfeng.pipeline.engine import Checker
from qingfeng.rulebook.loader import RulebookError, load_rulebook

WORK = {"channel": "group", "room_name": "县财政局办公室工作群"}
OPENER = Message(text="李所，在吗？", **WORK)
LATE_NOTICE = Message(text="通知：明天上午8:30在三楼会议室召开全体干部职工大会，请勿迟到。——局办公室",
                      time="2026-01-13T23:40:00+08:00", **WORK)
VOICE = Message(text="（语音）王局，验收资料我下午给您送过来", type="voice", sender="u-clerk", receiver="u-head",
                **WORK)


def _edit(rulebook: Path, old: str, new: str) -> None:
    path = rulebook / "rules" / "etiquette.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"etiquette.yaml no longer says {old!r} once"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _findings(rulebook: Path, rule: str, message: Message) -> list:
    checker = Checker(load_rulebook(base=rulebook), select=[rule], context=example_context())
    return checker.check(message)


@pytest.mark.parametrize(
    ("rule", "message", "old", "new"),
    [
        ("ETQ001", OPENER, "detector: {kind: opener, bare: true}",
         "detector: {kind: opener, bare: true, unless_near: [李所]}"),
        ("ETQ003", LATE_NOTICE, '    unless: ["@etiquette.not_work"]\n', '    unless: ["@etiquette.not_work", 大会]\n'),
        ("ETQ013", VOICE, "detector: {kind: voice}", "detector: {kind: voice, unless: [验收资料]}"),
    ],
)
def test_an_allow_phrase_in_yaml_sets_aside_a_hit_of_any_kind(
    rulebook_folder: Path, rule: str, message: Message, old: str, new: str
) -> None:
    assert _findings(rulebook_folder, rule, message), f"{rule} should fire before the edit"
    _edit(rulebook_folder, old, new)
    assert _findings(rulebook_folder, rule, message) == []


def test_a_boost_in_yaml_moves_a_voice_finding_and_says_so(rulebook_folder: Path) -> None:
    (before,) = _findings(rulebook_folder, "ETQ013", VOICE)
    _edit(rulebook_folder, "detector: {kind: voice}", "detector: {kind: voice, boost: [{terms: [王局], by: -0.5}]}")
    (after,) = _findings(rulebook_folder, "ETQ013", VOICE)
    assert after.confidence == pytest.approx(before.confidence - 0.5)
    assert (before.severity, after.severity) == ("warn", "info")  # below the threshold: advice
    assert after.why.context == (ContextMove("王局", -0.5),) and after.why.base == before.confidence
    assert after.explanation == before.explanation + "; context -0.50"


def test_a_room_boost_in_yaml_moves_a_timing_finding(rulebook_folder: Path) -> None:
    (before,) = _findings(rulebook_folder, "ETQ003", LATE_NOTICE)
    _edit(rulebook_folder, '    unless: ["@etiquette.not_work"]\n',
          '    unless: ["@etiquette.not_work"]\n    boost: [{rooms: [work], by: 0.05}]\n')
    (after,) = _findings(rulebook_folder, "ETQ003", LATE_NOTICE)
    assert after.confidence == pytest.approx(min(1.0, before.confidence + 0.05))
    assert after.why.context == (ContextMove("room work", 0.05),)


@pytest.mark.parametrize(
    ("new", "says"),
    [
        ("detector: {kind: voice, boots: [{terms: [王局], by: -0.5}]}", "boots"),
        ("detector: {kind: voice, boost: [{terms: [王局]}]}", "by"),
        ("detector: {kind: voice, unless_before_regex: '('}", "regex does not compile"),
        ("detector: {kind: voice, unless_within: -1}", "unless_within"),
    ],
)
def test_a_bad_context_option_fails_at_load_naming_file_and_rule(rulebook_folder: Path, new: str, says: str) -> None:
    _edit(rulebook_folder, "detector: {kind: voice}", new)
    with pytest.raises(RulebookError) as error:
        load_rulebook(base=rulebook_folder)
    assert "etiquette.yaml: rule ETQ013" in str(error.value) and says in str(error.value)
