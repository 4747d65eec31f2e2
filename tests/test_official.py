"""The parts of an official message, and the form rules' verdicts, as (text, expected) tables."""

from __future__ import annotations

import pytest

from qingfeng import Checker, Message
from qingfeng.coach.official import analyse, find_opener

WORK = "县卫健局办公室工作群"


@pytest.mark.parametrize(
    ("text", "signature"),
    [
        ("通知：明天上午开会，请勿迟到。——局办公室", "局办公室"),
        ("请各村于明早九点前上报情况表。——镇农办", "镇农办"),
        ("请各所长周三前确认签字。营销部 贾红", "营销部 贾红"),
        ("请于周五前报送隐患排查台账。安全环保部 3月9日", "安全环保部 3月9日"),
        ("实验室周五下午大扫除。——谭老师", "谭老师"),
        ("请各校于1月16日前报送。区教育局基础教育科 1月12日", "区教育局基础教育科 1月12日"),
        ("请准时参加。\n县卫健局办公室\n2026年4月1日", "县卫健局办公室\n2026年4月1日"),
        ("请带好医保卡。马庄村村民委员会", "马庄村村民委员会"),
        ("请大家提高警惕。三（2）班 苏老师", "三（2）班 苏老师"),
        ("请转告各位家属。心内科随访护士 小唐", "心内科随访护士 小唐"),
        ("请准时参加。发布人：张敏", "发布人：张敏"),
        ("请各村连夜做好准备。镇综合办", "镇综合办"),
        # a sentence's character inside the unit's own words (交 in 交通, 就 in 就业), a contact number after it
        ("各客运企业安全员参加。县交通运输局办公室", "县交通运输局办公室"),
        ("请各街道本周内报送。县就业服务中心", "县就业服务中心"),
        ("请于周四前报送数据。区卫健局办公室 曾庆华 0591-8763 5520", "区卫健局办公室 曾庆华 0591-8763 5520"),
        ("明天上午的庭改到八点半，相关承办人注意通知当事人。民二庭", "民二庭"),  # a court's division
        ("请明天准时到。明天上午九点开庭", None),
        ("姐妹们，我家猫又把沙发挠坏了，你们家的猫也这样吗？有没有什么好办法", None),  # 办 ends a question, no unit
        ("通知：请各校于1月10日前报送，逾期不候。", None),
        ("通知：明天省公司来检查，全体人员着工装，八点前到岗。", None),
        ("通知：本周五下午3点召开会议，各股室负责人参加。", None),
        ("通知：明天上午发放补贴，请各户带存折到村部核对。", None),
        ("小李，这是我新微信号。明天上午来我办公室一趟。", None),
        ("行走路线是镇中心—东湖村—马庄村（内部掌握，不得外传），各村做好准备", None),
        ("特此通知。", None),
    ],
)
def test_signature(text: str, signature: str | None) -> None:
    span = analyse(text).signature
    assert (text[span[0] : span[1]] if span else None) == signature


@pytest.mark.parametrize(
    ("text", "header", "issuer"),
    [
        ("通知：明天开会。", "通知", False),
        ("【紧急通知】各单位：今晚停电。", "紧急通知", False),
        ("@所有人 紧急通知 今天早上7:30前全部到岗。", "紧急通知", False),
        ("关于报送年度工作总结的通知：请各校报送。", "关于报送年度工作总结的通知", False),
        ("区教育局关于做好开学工作的通知：请各校做好准备。", "区教育局关于做好开学工作的通知", True),
        ("组会通知：本周组会改到周四。", "组会通知", False),
        ("县卫健局通知：请各院报送。", "县卫健局通知", True),
        ("各股室：通知：周五开会。", "通知", False),
        ("通知大家一下，食堂今天有饺子", None, False),
        ("收到通知：明天开会。", None, False),
        ("通知，下周起窗口上班时间提前半小时，请大家遵照执行", "通知", False),
        ("转发：区教育局关于做好开学工作的通知（官网已发布）", None, False),
        ("收到，三排的人今晚都已经通知到了。", None, False),
        ("《关于做好冬季安全生产工作的通知》已在区政府网站公开发布，大家自行下载学习", None, False),  # a notice named
        ("关于规范校外培训的通知已经转到各校邮箱，请转发给家长", None, False),
        ("具体时间另行通知：请等候。", None, False),
    ],
)
def test_header(text: str, header: str | None, issuer: bool) -> None:
    form = analyse(text)
    assert (text[form.header[0] : form.header[1]] if form.header else None) == header
    assert form.header_names_issuer == issuer


@pytest.mark.parametrize(
    ("text", "salutation", "group"),
    [
        ("各位村干部：请于周三前张贴海报。", "各位村干部", True),
        ("请各村于明早九点前上报。", "各村", True),
        ("各办、站、所：定于本周四培训。", "各办、站、所", True),
        ("同志们，明天集合。", "同志们", True),
        ("@所有人 明天集合", "@所有人", True),
        ("通知：各企业于下周三前报送。", "各企业", True),
        ("王主任，预算股的报表我核完了。", "王主任", False),
        ("孙科、周科：材料已发。", "孙科、周科", False),
        ("刘老师您好，想跟您沟通课程安排。", "刘老师您好", False),
        ("收到，下午送来。", None, False),
        ("说实话，这次压减一刀切。", None, False),
        ("各种台账、报表每周都要交。", None, False),
        ("家长们注意！有人发毒糖果。", None, False),
        ("受强寒潮影响，明天停课。", None, False),
    ],
)
def test_salutation(text: str, salutation: str | None, group: bool) -> None:
    form = analyse(text)
    assert (text[form.salutation[0] : form.salutation[1]] if form.salutation else None) == salutation
    assert form.group_address == group


@pytest.mark.parametrize(
    ("text", "notice_like"),
    [
        ("各位老师：今天上午第二节课调到下午第五节，请相互告知。——教务处", True),
        ("各位，明早盘点，6点半到药库。", True),  # to be somewhere at an hour
        ("大家明天几点到？", False),
        ("各位老师：今天上午的教研活动取消，顺延至周四下午。文学院办公室", True),
        ("明早八点执行局全体干警到三楼大会议室开会，不得请假。执行局办公室", True),
        ("明早7点半全科护士提前到岗交接，不得迟到。", True),
        ("通知：下周一开始实行窗口弹性排班。", True),
        ("同志们，仓库位置和值守排班表我发群里了。", False),
        ("今天写了一幅字，请各位老友指正", False),
        ("大家注意：这几天有人传街道要拆迁，我问了，没有这回事。", False),
        ("家长们注意！有人在学校附近发毒糖果，快转！", False),
        ("转发：区教育局关于做好开学工作的通知（官网已发布）", False),
        ("紧急通知：明天全市停水，请大家做好储水准备，转发扩散！", False),
        ("@所有人 转发：区教育局关于做好开学工作的通知，请各校做好准备", False),
    ],
)
def test_notice_like(text: str, notice_like: bool) -> None:
    form = analyse(text)
    assert (form.is_notice_like and not form.forwarded) == notice_like


@pytest.mark.parametrize(
    ("text", "bare"),
    [
        ("在吗？", True),
        ("王科，在吗", True),
        ("刘老师在吗？", True),
        ("@范文博 在吗", True),
        ("在不在？都在不在？", True),
        ("在不在啊王老师", True),
        ("哥，在吗🙏", True),
        ("看到回我一下，急", True),
        ("都在吗？在的回一下", True),
        ("（语音转文字）喂，主任，在吗在吗？", True),
        ("李科长您好，在吗？", True),
        ("在吗？有急事", True),
        ("在？", True),
        # as people type them: pinyin beside characters, a dialect particle, a greeting first, a title alone
        ("老师zai吗", True),
        ("在不嘛", True),
        ("哈喽 在吗", True),
        ("行长，方便吗？看到回一下", True),
        ("科长，看到消息回我一下", True),
        ("行，明天我交", None),
        ("在不同部门之间协调一下", None),
        ("在吗？明天上午的督导会改到九点。", False),
        ("王科，有空吗？想跟您汇报一下预算执行的情况。", False),
        ("明天的材料改好了，看到请回复", None),
        ("我现在在吗？不知道", None),
        ("收到", None),
    ],
)
def test_opener(text: str, bare: bool | None) -> None:
    opener = find_opener(text)
    assert (opener.bare if opener else None) == bare


# Each form rule beyond its rulebook examples: (rule, message fields, expected severity or None).
CASES = [
    ("ETQ001", {"text": "张所在不在", "channel": "group", "room_name": "城西派出所工作群"}, "warn"),
    ("ETQ001", {"text": "有人吗？", "channel": "group", "room_name": "县税务局征管科工作群"}, "warn"),
    ("ETQ001", {"text": "老婆在吗"}, None),
    ("ETQ001", {"text": "李所？", "channel": "group", "room_name": "城西派出所工作群"}, "warn"),  # a title and "?"
    ("ETQ001", {"text": "厕所？", "channel": "group", "room_name": "城西派出所工作群"}, None),
    ("ETQ001", {"text": "王主任 方便回个话不"}, "warn"),
    ("ETQ001", {"text": "zai ma"}, "warn"),  # pinyin
    ("ETQ001", {"text": "在嗎"}, "warn"),  # traditional script
    ("ETQ001", {"text": "在吗？", "channel": "group", "room_name": "高中同学群"}, None),
    ("ETQ001", {"text": "在吗", "channel": "moments"}, None),
    ("ETQ004", {"text": "停水通知：明天上午门诊楼停水，请各科室提前储水。", "channel": "group",
                "room_name": WORK}, "warn"),
    ("ETQ004", {"text": "县卫健局通知：请各院于周五前报送。", "channel": "group", "room_name": WORK}, "info"),
    ("ETQ004", {"text": "通知：请各院于周五前报送。联系人：陆琳，电话：0376-6238415", "channel": "group",
                "room_name": WORK}, "info"),
    # something to report by a deadline, told to a group: a notice in all but its header
    ("ETQ004", {"text": "各位同事：请于周五前报送台账。", "channel": "group", "room_name": WORK}, "warn"),
    ("ETQ004", {"text": "请于明日下班前报送执行款发放明细", "channel": "group", "room_name": WORK}, "warn"),
    ("ETQ004", {"text": "请于明日下班前报送执行款发放明细"}, "info"),
    ("ETQ004", {"text": "收到，我们这边下午就把材料报上来。", "channel": "group", "room_name": WORK}, None),
    ("ETQ004", {"text": "已收到，周五前报送。", "channel": "group", "room_name": WORK}, None),  # a reply, not a notice
    ("ETQ004", {"text": "通知：今晚八点老地方聚餐。", "channel": "group", "room_name": "相亲相爱一家人"}, None),
    ("ETQ010", {"text": "[表情包]", "type": "image", "channel": "group", "room_name": WORK}, "warn"),
    ("ETQ010", {"text": "[表情包]", "type": "image", "channel": "group", "room_name": "高中同学群"}, None),
    ("ETQ012", {"text": "周末有没有一起去爬山的？天气预报说晴天，山顶的杜鹃花开了，拍照特别好看，哈哈，报名从速",
                "channel": "group", "room_name": WORK}, "warn"),
    ("ETQ012", {"text": "今晚撸串去不去？", "channel": "group", "room_name": WORK}, "info"),
    ("ETQ012", {"text": "工会组织周末爬山活动，想参加的到工会报名。", "channel": "group", "room_name": WORK}, None),
    ("ETQ012", {"text": "听说药剂科小张要结婚了，对象是咱们医院的医生", "channel": "group", "room_name": WORK}, None),
    ("ETQ012", {"text": "开业大酬宾！奶茶第二杯半价，火锅套餐八折，扫码下单", "channel": "group",
                "room_name": WORK}, None),
    ("ETQ011", {"text": "收到🌹🌹🌹", "channel": "group", "room_name": WORK}, "info"),
    ("ETQ009", {"text": "各位同事：" + "请按附件要求准备材料。" * 40, "channel": "group", "room_name": WORK}, "info"),
]


@pytest.mark.parametrize(("rule", "fields", "severity"), CASES)
def test_form_rules(every_rule_checker: Checker, rule: str, fields: dict, severity: str | None) -> None:
    found = [f.severity for f in every_rule_checker.check(Message(**fields)) if f.rule == rule]
    assert found == ([severity] if severity else [])
