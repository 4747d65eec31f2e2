"""The engine end to end: the Python API, offsets, batching, confidence, disguise and scope."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from qingfeng import Checker, Message
from qingfeng.core.models import SEVERITY_RANK


def _flagged(checker: Checker, text: str, **fields: Any) -> set[str]:
    return {f.category for f in checker.check(text, **fields) if SEVERITY_RANK[f.severity] >= 1}


WORK = {"channel": "group", "room_name": "县税务局征管科工作群"}
FAMILY = {"channel": "group", "room_name": "老张家亲人群"}


def test_python_api_returns_finding_records(checker: Checker) -> None:
    findings = checker.check(Message(id="m1", text="这份是机密文件，别外传", **WORK))
    [finding] = [f for f in findings if f.category == "secrecy"][:1]
    record = finding.to_dict()
    for key in ("message_id", "rule", "category", "severity", "start", "end", "excerpt", "advice", "sources"):
        assert key in record
    assert record["message_id"] == "m1"
    assert record["severity"] in ("warn", "block")
    assert record["sources"] and all(isinstance(s, str) for s in record["sources"])


def test_spans_point_into_the_original_text(checker: Checker) -> None:
    text = "刚拿到的 機 ✱ 密 文件，还有身份证 1101 0519 4912 3100 2X，电话壹叁捌-壹贰叁肆-伍陆柒捌"
    findings = checker.check(text)
    assert findings
    for finding in findings:
        if finding.start is not None:
            assert text[finding.start : finding.end] == finding.excerpt
    excerpts = {f.excerpt for f in findings}
    assert "機 ✱ 密" in excerpts
    assert "1101 0519 4912 3100 2X" in excerpts


def test_batches_give_the_same_findings_as_single_messages(checker: Checker) -> None:
    texts = [
        "你好", "內部資料請勿外傳", "加V：abc12345 包邮", "听说明天全市停水三天，赶紧囤水", "",
        "王局新年快乐", "我的手机13812345678", "转发给8个人就能心想事成", "sb", "普通的一条消息",
    ]
    messages = [Message(id=str(i), text=t, channel="group", room_name="某单位工作群") for i, t in enumerate(texts)]
    single = [checker.check(m) for m in messages]
    assert checker.check_batch(messages) == single
    assert list(checker.check_many(messages, batch_size=3)) == single


def test_an_empty_batch_has_no_findings(checker: Checker) -> None:
    assert checker.check_batch([]) == []
    assert list(checker.check_many([])) == []


def test_checker_is_safe_to_share_between_threads(checker: Checker) -> None:
    texts = ["这是机密文件", "你个sb", "身份证11010519491231002X", "在吗"] * 25
    expected = [checker.check(t) for t in texts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(checker.check, texts)) == expected


def test_low_confidence_findings_are_info(checker: Checker) -> None:
    findings = checker.check("6222021602013358271 这串数字挺吉利")
    assert findings, "a card-shaped number is still reported"
    assert all(f.severity == "info" and f.confidence < 0.5 for f in findings)


def test_one_finding_per_category_and_span(checker: Checker, every_rule_checker: Checker) -> None:
    text = "那份 ji 密 的材料我微信发你了"
    assert len({f.rule for f in every_rule_checker.check(text)}) > len(checker.check(text))


def test_select_and_ignore_rule_families(rulebook) -> None:
    only_secrecy = Checker(rulebook, select=["SEC"])
    assert {r.category for r in only_secrecy.rules} == {"secrecy"}
    without = Checker(rulebook, ignore=["SEC"])
    assert "secrecy" not in {r.category for r in without.rules}


# Each category through the kinds of disguise the issue names (texts written for this test).
DISGUISED = [
    ("secrecy", "這是局裡的機密件，大家看完別外傳", {}),
    ("secrecy", "内✱部✱资✱料，你们先看看", WORK),
    ("secrecy", "那份 ji 密 的方案我微信发你了", {}),
    ("privacy", "他身份证号１１０１０５１９４９１２３１００２Ｘ，帮忙登记一下", WORK),
    ("privacy", "老刘的手机：壹叁玖 零零壹贰 叁肆伍陆，你们直接打给他", WORK),
    ("privacy", "这个人电话139 0012\n3456，家住幸福小区3栋2单元402", WORK),
    ("gifts", "張局，孩子入學的事讓您費心了，一點心意", {"type": "transfer", "amount": 3000}),
    ("gifts", "给李科准备的hong包每人一千，周五前交给我", WORK),
    ("gifts", "给王局准备的购✱物✱卡已经放您车上了", {}),
    ("gifts", "给领导们准备的hongbao每人两千，周五前凑齐", WORK),
    ("gifts", "审批的事辛苦您了，这点茶叶钱您收下", {}),
    ("fraud", "我是你們局長，換了新號，有急事你先幫我轉兩萬，明天還你", {}),
    ("fraud", "恭喜您中奖，领奖需先交手续费５００元", {}),
    ("spam", "男士保健品，厂家直销，加薇：abc8866", WORK),
    ("chain", "轉發給十個好友，好運連連，不轉倒霉", FAMILY),
    ("chain", "帮我砍一刀，差一点就能免费拿电饭煲", FAMILY),
    ("rumor", "聽說明天全市停水三天，趕緊接水！", FAMILY),
    ("vulgar", "来个黄 段 子提提神", WORK),
    ("illegal", "今晚上分，德州，200一手", {"channel": "group", "room_name": "老同学群"}),
    ("illegal", "澳门菠菜，注册就送，私聊", {"channel": "group", "room_name": "老乡群"}),
    ("illegal", "冰有吗？老地方，三克", {}),
    ("abuse", "你個ｓｂ，別在群裡裝了", WORK),
    ("abuse", "你个傻 逼", WORK),
]


@pytest.mark.parametrize(
    ("category", "text", "fields"), DISGUISED, ids=[f"{c}-{i}" for i, (c, _, _) in enumerate(DISGUISED)]
)
def test_disguised_violations_are_caught(checker: Checker, category: str, text: str, fields: dict) -> None:
    assert category in _flagged(checker, text, **fields)


OUT_OF_SCOPE = [
    "我觉得这次公积金政策调整对年轻人不太友好，买房更难了。",
    "新来的局长把例会改到周六，这个决定我个人不太赞同。",
    "对这次乡镇机构改革方案，我有不同意见，会上我会提出来。",
    "冬至快乐，愿菩萨保佑大家平安。",
    "礼拜五清真寺做礼拜，晚上聚餐我晚点到。",
    "这个月加了十几天班，真的太累了，想休息几天。",
    "基层事情太多了，报表一个接一个，根本忙不过来。",
    "我认为延迟退休政策应该更灵活一些，让个人自己选择。",
]


@pytest.mark.parametrize("text", OUT_OF_SCOPE)
def test_out_of_scope_messages_get_no_finding(checker: Checker, text: str) -> None:
    for fields in ({}, WORK, FAMILY):
        findings = [f for f in checker.check(text, **fields) if f.category != "etiquette"]
        assert not findings, [(f.rule, f.excerpt) for f in findings]


HARD_NEGATIVES = [
    ("请各单位严格落实“涉密不上网、上网不涉密”要求，严禁用微信传输涉密文件。县保密办", WORK),
    ("联系人：张敏，联系电话：13812345678。县税务局办公室", WORK),
    ("我的手机号13812345678，到了给我打电话", {}),
    ("经研究，拟任李华同志为办公室主任，现予以公示，公示期5个工作日。县委组织部", WORK),
    ("【辟谣】网传本市停水三天系谣言，请市民不信谣、不传谣。", FAMILY),
    ("反诈提醒：凡是自称领导要求转账的，一律电话核实。", WORK),
    ("春节快乐", {"type": "redpacket", "amount": 6.66, **FAMILY}),
    ("昨晚聚餐AA，这是我那份", {"type": "transfer", "amount": 96}),
    ("本月是禁毒宣传月，请各村张贴禁毒海报。", WORK),
    ("我家腌菜的秘方是机密哈哈，不外传", FAMILY),
    ("周末斗地主，输了的请喝奶茶", {"channel": "group", "room_name": "老同学群"}),
    ("请大家做好垃圾分类，垃圾桶每天清运两次。", WORK),
]


@pytest.mark.parametrize(("text", "fields"), HARD_NEGATIVES)
def test_hard_negatives_are_not_flagged(checker: Checker, text: str, fields: dict) -> None:
    flagged = _flagged(checker, text, **fields) - {"etiquette"}
    assert not flagged, flagged


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("SB-350型水泵的报价单更新了", False),  # a model number
        ("社保卡补办请认准官网，别点 12333-sb.vip 这种链接", False),  # part of an address
        ("这个sb又把报表填错了", True),
        ("你就是个sb.", True),  # a full stop ends the word, it joins no code
    ],
)
def test_a_latin_term_joined_into_a_code_is_no_word(checker: Checker, text: str, flagged: bool) -> None:
    assert ("abuse" in _flagged(checker, text)) is flagged
