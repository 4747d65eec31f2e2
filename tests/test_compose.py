"""Writing notices: the drafted notice's shape, and --fix keeping the writer's words."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qingfeng import Checker, Message
from qingfeng.coach.compose import draft_notice, fit_notice
from qingfeng.coach.official import analyse

DAY = date(2026, 3, 2)
WORK = "县财政局办公室工作群"


def test_draft_notice_has_every_part_in_order() -> None:
    text = draft_notice(
        title="关于召开一季度预算执行分析会的通知",
        to="各股室",
        items=["时间：本周四下午2:30；地点：四楼会议室", "参会人员：各股室负责人"],
        signature="县财政局办公室",
        day=DAY,
    )
    assert text.splitlines() == [
        "各股室：",
        "现将召开一季度预算执行分析会有关事项通知如下：",
        "1. 时间：本周四下午2:30；",
        "2. 地点：四楼会议室；",
        "3. 参会人员：各股室负责人。",
        "特此通知，收到请回复。",
        "县财政局办公室",
        "2026年3月2日",
    ]


def test_a_drafted_notice_passes_every_form_rule(every_rule_checker: Checker) -> None:
    text = draft_notice(
        title="报送台账", to="各位同事", items=["请于周五前报送一季度台账"], signature="局办公室", day=DAY
    )
    findings = every_rule_checker.check(Message(text=text, channel="group", room_name=WORK))
    assert [f.rule for f in findings if f.category == "etiquette"] == []


def test_draft_placeholders_and_options() -> None:
    text = draft_notice(title="春季爱国卫生运动", items=["1. 清扫楼道\n2. 清理杂物"], reply=False)
    lines = text.splitlines()
    assert lines[0] == "【请填写称呼，如：各位同事】："
    assert lines[2:4] == ["1. 清扫楼道；", "2. 清理杂物。"]  # old numbers replaced, not doubled
    assert lines[-2:] == ["特此通知。", "【请填写落款：单位或姓名】"]  # no date asked for
    english = draft_notice(title="Spring cleaning", to="All staff", signature="Office", day=DAY, lang="en")
    assert english.splitlines() == [
        "All staff:", "Subject: Spring cleaning", "[the points]",
        "This is hereby notified. Please reply to confirm receipt.", "Office", "2026-03-02",
    ]


def test_fit_an_unsigned_notice() -> None:
    fitted = fit_notice("通知：明天省公司来检查，全体人员着工装，八点前到岗。", day=DAY)
    assert fitted is not None
    assert fitted.text.splitlines() == [
        "通知：",
        "【请填写称呼，如：各位同事】：",
        "明天省公司来检查，全体人员着工装，八点前到岗。",
        "特此通知。",
        "【请填写落款：单位或姓名】",
        "2026年3月2日",
    ]
    assert fitted.added == ("salutation", "closing_notice", "signature", "date")


def test_fit_numbers_several_requests_and_keeps_the_signature() -> None:
    text = "各位同事：请于周三前报送考勤表；请于周四前提交培训心得；请于周五前务必完成保密自查。——办公室 3月2日"
    fitted = fit_notice(text, day=DAY)
    assert fitted is not None
    assert fitted.text.splitlines() == [
        "各位同事：",
        "1. 请于周三前报送考勤表；",
        "2. 请于周四前提交培训心得；",
        "3. 请于周五前务必完成保密自查。",
        "收到请回复。",
        "——办公室 3月2日",
    ]
    assert fitted.added == ("numbering", "closing_reply")


def test_fit_a_bare_opener_asks_for_the_subject() -> None:
    fitted = fit_notice("王科，在吗", day=DAY)
    assert fitted is not None and fitted.text == "王科，在吗\n【请直接写明事由：什么事、需要对方做什么、何时之前】"


@pytest.mark.parametrize(
    "text",
    [
        "三楼打印机卡纸了，我已经处理好。",  # not a notice
        "转发：区教育局关于做好开学工作的通知（官网已发布）",  # forwarded
        "各位同事：\n1. 请于周三前报送考勤表；\n2. 请于周四前提交心得。\n特此通知。\n县财政局办公室 3月2日",  # whole
    ],
)
def test_nothing_to_fit(text: str) -> None:
    assert fit_notice(text, day=DAY) is None


_PLACEHOLDER = re.compile(r"【[^】]*】：?")
def _without_additions(fitted: str, added: tuple[str, ...]) -> str:
    """The fitted text less every line and number the fitting added, and less whitespace."""
    closing = "，".join(
        word for key, word in (("closing_notice", "特此通知"), ("closing_reply", "收到请回复")) if key in added
    )
    lines = fitted.splitlines()
    if closing:
        lines.reverse()
        lines.remove(closing + "。")  # the closing line that was added (the writer's own may come earlier)
        lines.reverse()
    kept = []
    for line in lines:
        if _PLACEHOLDER.fullmatch(line) or ("date" in added and line == "2026年3月2日"):
            continue
        kept.append(re.sub(r"^[0-9]+\. ", "", line) if "numbering" in added else line)
    return re.sub(r"\s", "", "".join(kept))


_PIECES = st.sampled_from([
    "通知：", "各位同事：", "各科室，", "请于周三前报送考勤表", "务必准时参加", "明早8点到岗", "会议室在三楼",
    "。", "；", "，", "\n", "——办公室", "县卫健局办公室 4月1日", "紧急", "王科，", "在吗", "收到请回复", "1. ",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=10).map("".join))
def test_fit_never_changes_the_writers_words(text: str) -> None:
    fitted = fit_notice(text, day=DAY)
    if fitted is None:
        return
    # Take away what was added: exactly the writer's text is left, in order (whitespace aside).
    assert _without_additions(fitted.text, fitted.added) == re.sub(r"\s", "", text)
    if "subject" not in fitted.added:
        assert analyse(fitted.text).signature is not None or "【请填写落款" in fitted.text
