"""The context stage (frames.yaml): reporting is not doing; the merge stage: a model alone never blocks;
and one card per message in what people read."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from qingfeng import Checker
from qingfeng.cli import app
from qingfeng.core.models import from_model
from qingfeng.pipeline.engine import YIELDED
from qingfeng.pipeline.framing import Frame, Frames
from qingfeng.rulebook.loader import default_rulebook

WORK = {"channel": "group", "room_name": "县财政局办公室工作群"}
SAMPLE = Path(__file__).parents[1] / "src" / "qingfeng" / "samples" / "archive.jsonl"


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker()


@pytest.fixture(scope="module")
def frameless() -> Checker:
    """The same engine with no context stage: what the detectors alone say."""
    bare = Checker()
    bare.frames = Frames([])
    bare.verifier = None  # the context stage's last step (qingfeng.pipeline.verifier)
    return bare


def flagged(checker: Checker, text: str) -> set[str]:
    return {f.category for f in checker.check(text, **WORK) if f.severity != "info"}


# (category, a text that only reports, quotes, forbids or plays, its positive twin that does it)
CASES = [
    ("abuse", "警方通报：一男子因抢劫被抓获，已被刑事拘留", "你这个抢劫犯，滚出我们村"),
    ("abuse", "新闻：男子持刀抢劫被判处有期徒刑十年", "你就是个强奸犯，人渣"),
    ("abuse", "他团队也不是傻子，他听说过的比你我多多了", "你不是傻子吗？这都不懂"),
    ("privacy", "店铺地址：中山路12号3楼", "他家住幸福小区3栋2单元501，晚上去堵他"),
    ("privacy", "癌症筛查研究显示早发现可降低死亡率", "听说财务处小刘查出癌症了，大家别往外说"),
    ("privacy", "捐赠联络电话：13905021312", "老周的电话：13905021312，你们自己找他"),
    ("illegal", "这把游戏里我用AK47把对面全打死了", "出售仿真枪，要的私聊"),
    ("illegal", "万科新楼盘下月开盘，均价一万二", "今晚老地方斗地主，一把两百，带够钱"),
    ("illegal", "严禁赌博，发现一起查处一起", "今晚开盘，押大小，一注一百"),
    ("rumor", "辟谣：网传明天自来水停供是谣言，系不实消息", "紧急扩散！明天开始自来水停供一周，赶紧囤水"),
    ("rumor", "据报道，小偷入室盗窃被抓获", "紧急扩散！听说有人贩子在学校门口抢小孩"),
    ("fraud", "反诈提醒：骗子会冒充领导说“我是王局，先帮我转5万”，千万不要转账",
     "我是王局，换号了，先帮我转5万，明天还你"),
    ("vulgar", "《金瓶梅》是明代小说", "【成人视频】高清无码 免费观看 点击进入"),
    # a threat cited as evidence: the 你 inside the quote is nobody here
    ("illegal", "原告提交的证据里有被告发的短信“打断你的腿”，单独列出来", "你再敢告我，我打断你的腿"),
    ("privacy", "大家周日来我家吃饭，新家地址：锦绣华庭6栋1单元901", "他家住锦绣华庭6栋1单元901，晚上去堵他"),
    ("privacy", "街拍要注意别偷拍人家正脸", "我在女厕所偷拍了几张，发群里给你们看"),
    ("illegal", "听物业说咱们小区二期下个月开盘", "咱们小区今晚开盘，押大小，一注一百"),
    ("secrecy", "我解锁了“机密档案”成就，终于集齐全部线索了", "这份机密文件先拍给你看看，别外传"),
    # an anti-fraud tip asked to be passed on; a court hearing told; a clinic's hours; a trader's own move
    ("chain", "防骗提醒：“刷单返利”是诈骗，“中奖先交税”也是诈骗，请转给辖区居民",
     "转发给10个群就能中大奖，不转的倒霉一年"),
    ("abuse", "法院开庭时被告人承认当晚拿刀伤人", "再啰嗦我就拿刀砍你"),
    ("privacy", "本院皮肤性病门诊本周六照常开诊", "听说咱们局老李去看性病门诊了"),
    ("rumor", "基金刚涨停，赶紧卖了落袋为安", "听说这只股票明天还要涨停，内部消息，赶紧买"),
    # self-deprecation; being single with no gossip; a deed denied (又不); illness as a topic of diet
    ("abuse", "我都觉得自己脑残，又把钥匙锁家里了", "你就是脑残，这都不会"),
    ("privacy", "他还是单身，整天忙工作", "晒一下我们单位新来的妹子，单身，有意的私聊我"),
    ("illegal", "他又不吸毒又不嫖娼，人挺好", "他吸毒又嫖娼，还拉人下水"),
    ("privacy", "8种食物天生就是癌症克星", "听说咱们局老李查出癌症了，别往外说"),
    # a gift sent back; a lesson; a case and its sanction; a deed suffered; hyperbole; a show; a simile; a public
    # service; a scam met and told
    ("gifts", "张总，您送来的两瓶茅台我让司机带回去了，项目的事我们按程序办",
     "张总，两瓶茅台放您车上了，项目的事多关照"),
    ("secrecy", "保密知识考试有道判断题：绝密文件可以用微信传吗？答案是错", "这份绝密文件我先拍给你看看，别外传"),
    ("gifts", "报纸上说有个科长收了人家的茅台和烟，被判了三年", "科长，两条烟和茅台给您放门卫了，那事多关照"),
    ("illegal", "丧偶老人登门表白被打一顿", "你再来我家门口，我找人把你打一顿"),
    ("rumor", "快递说今天到，结果又让我取消订单重下，无语死了", "紧急扩散！听说那家超市的肉吃死了人，赶紧转给家人"),
    ("abuse", "这部抗日剧里鬼子被打得落花流水，太假了", "你这个狗汉奸，滚出我们村"),
    ("abuse", "昨晚熬夜加班，今天眼睛肿得像猪头", "你就是个猪头，这都算错"),
    ("spam", "图书馆周末举办亲子阅读活动，免费参加，名额30个，报名找李老师",
     "社区团购：土鸡蛋原价30元现价20元，数量有限，下单私聊"),
    ("fraud", "刚才接了个电话说我涉嫌洗钱，我直接挂了，一听就是骗人的",
     "我是公安局的，你涉嫌洗钱，马上把钱转到安全账户"),
]


@pytest.mark.parametrize(("category", "report", "deed"), CASES)
def test_reporting_is_not_doing(checker: Checker, category: str, report: str, deed: str) -> None:
    assert category not in flagged(checker, report)
    assert category in flagged(checker, deed), "the positive twin must still be flagged"


# Reports that the detectors alone flag: the context stage, not a rule's own allow-list, clears them. (The police
# report of a robbery is no longer among them: the models, retrained with real text, do not flag it at all.)
CLEARED_BY_CONTEXT = {
    "店铺地址：中山路12号3楼", "癌症筛查研究显示早发现可降低死亡率",
    "据报道，小偷入室盗窃被抓获", "捐赠联络电话：13905021312", "《金瓶梅》是明代小说",
    "他团队也不是傻子，他听说过的比你我多多了", "原告提交的证据里有被告发的短信“打断你的腿”，单独列出来",
    "大家周日来我家吃饭，新家地址：锦绣华庭6栋1单元901", "街拍要注意别偷拍人家正脸", "听物业说咱们小区二期下个月开盘",
    "我解锁了“机密档案”成就，终于集齐全部线索了", "防骗提醒：“刷单返利”是诈骗，“中奖先交税”也是诈骗，请转给辖区居民",
    "法院开庭时被告人承认当晚拿刀伤人", "本院皮肤性病门诊本周六照常开诊", "基金刚涨停，赶紧卖了落袋为安",
    "我都觉得自己脑残，又把钥匙锁家里了", "他还是单身，整天忙工作", "他又不吸毒又不嫖娼，人挺好",
    "8种食物天生就是癌症克星", "张总，您送来的两瓶茅台我让司机带回去了，项目的事我们按程序办",
    "保密知识考试有道判断题：绝密文件可以用微信传吗？答案是错", "报纸上说有个科长收了人家的茅台和烟，被判了三年",
    "丧偶老人登门表白被打一顿", "快递说今天到，结果又让我取消订单重下，无语死了",
    "这部抗日剧里鬼子被打得落花流水，太假了",
    "昨晚熬夜加班，今天眼睛肿得像猪头", "图书馆周末举办亲子阅读活动，免费参加，名额30个，报名找李老师",
    "刚才接了个电话说我涉嫌洗钱，我直接挂了，一听就是骗人的",
}


@pytest.mark.parametrize(("category", "report"), [(c, r) for c, r, _ in CASES if r in CLEARED_BY_CONTEXT])
def test_the_context_stage_is_what_clears_them(frameless: Checker, category: str, report: str) -> None:
    # what the detectors alone say: a finding that yields to a graver one (advice beside it) counts as said
    said = {f.category for f in frameless.check(report, **WORK) if f.severity != "info" or YIELDED in f.explanation}
    assert category in said


@pytest.mark.parametrize(
    ("text", "term", "rule", "category", "frame"),
    [
        ("游戏里新出的狙击枪皮肤太帅了", "狙击枪", "ILL005", "illegal", "play"),
        ("网传停水系谣言，不要相信", "停水", "RUM003", "rumor", "debunked"),
        ("反诈宣传：刷单返利都是诈骗", "刷单", "FRD007", "fraud", "anti_fraud"),
        ("新楼盘今天开盘，户型不错", "开盘", "ILL001", "illegal", "market"),
        ("严禁赌博", "赌博", "ILL001", "illegal", "negated"),
        ("他骂人“傻逼”", "傻逼", "ABU001", "abuse", "quoted"),
        ("网上说的杀猪盘，女的被骗了八十万", "女的", "ABU003", "abuse", "group_suffered"),
        ("空调又坏了，办公室热死了", "死了", "RUM001", "rumor", "hyperbole"),
        ("今晚炸鸡配啤酒，谁来", "今晚", "VUL090", "vulgar", "meal_talk"),
        ("那种转发就好运的都是瞎编的，别转了", "转发", "CHN001", "chain", "chain_debunked"),
        ("听说新开的足浴店有特殊服务，啧啧", "特殊服务", "ILL009", "illegal", "vice_innuendo"),
        ("哈哈你这个胖子又偷吃宵夜了", "胖子", "ABU090", "abuse", "banter"),
        ("狼人杀今晚谁来？还是老地方", "今晚", "VUL090", "vulgar", "pastime_talk"),
        ("听说他妈有精神病，一直住着院", "精神病", "RUM001", "rumor", "health_gossip"),
        ("听说周末要下雪，出门带把伞", "听说", "RUM090", "rumor", "weather_talk"),
        ("我表姐的花店开张了，不用特意照顾生意", "照顾生意", "SPM002", "spam", "favour_waived"),
    ],
)
def test_each_frame_sets_aside_a_hit_in_any_rule_of_its_category(
    checker: Checker, text: str, term: str, rule: str, category: str, frame: str
) -> None:
    """A frame judges a hit whatever detector made it: here a hit on the term, as any detector kind would give."""
    from qingfeng.core.models import Message
    from qingfeng.detectors.base import Doc, Hit
    from qingfeng.text.normalize import normalize_many

    excused = _frame_for(checker, text, term, rule, category)
    assert excused is not None and excused.name == frame
    aimed = Doc(Message(text="你就是" + text, **WORK), normalize_many(["你就是" + text])[0], "work", {})
    assert checker.frames.excuse(aimed, rule, "secrecy", Hit(0, 1, 0.9, "test")) is None  # secrecy: no frame


def test_an_insult_aimed_at_the_reader_is_not_a_report(checker: Checker) -> None:
    assert "abuse" in flagged(checker, "警察都说了，你就是个小偷")


def test_a_model_alone_never_blocks() -> None:
    rulebook = default_rulebook()
    blocking = tuple(r.model_copy(update={"severity": "block"}) if r.id == "ABU090" else r for r in rulebook.rules)
    checker = Checker(dataclasses.replace(rulebook, rules=blocking))
    alone = [f for f in checker.check("脑子被门夹了吧你，一天到晚净添乱", **WORK) if f.category == "abuse"]
    assert alone and all(from_model(f) for f in alone)
    capped = [f for f in alone if f.rule == "ABU090"]
    assert capped and all(f.severity == "warn" for f in alone) and "capped at warn" in capped[0].explanation
    agreed = checker.check("你个sb，cnm，一看就是出来卖的", **WORK)
    assert any(f.rule == "ABU001" for f in agreed)
    assert any(from_model(f) and f.severity == "block" for f in agreed), "a written rule agrees: the block stands"


def test_jsonl_marks_one_lead_per_message(tmp_path: Path) -> None:
    out = tmp_path / "f.jsonl"
    CliRunner().invoke(app, ["scan", str(SAMPLE), "--format", "jsonl", "--out", str(out)])
    records = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    by_line: dict[int, list[dict]] = {}
    for record in records:
        by_line.setdefault(record["line"], []).append(record)
    assert any(len(found) > 1 for found in by_line.values())
    for found in by_line.values():
        assert [r["lead"] for r in found].count(True) == 1
        lead = next(r for r in found if r["lead"])
        assert lead["severity"] == max((r["severity"] for r in found), key=["info", "warn", "block"].index)


def test_text_output_is_one_card_per_message() -> None:
    result = CliRunner().invoke(app, ["scan", str(SAMPLE)])
    cards = [line for line in result.output.splitlines() if line.startswith(str(SAMPLE))]
    lines = [int(card.split(":")[1].split(" ")[0]) for card in cards]
    assert cards and len(lines) == len(set(lines)), "one line per message"
    assert any("（另有" in card or "(另有" in card for card in cards), "the supporting rules are listed"


def test_one_word_is_evidence_for_one_signal_only() -> None:
    """倒闭 is in both the severe and the mild claims of the rumour score: once counted it is not counted again."""
    rumour = Checker(select=["RUM001"])
    assert rumour.check("大公报：华策汽车有限公司倒闭落幕") == []
    pushed = rumour.check("紧急扩散！华策汽车有限公司倒闭了，老板跑路了")
    assert pushed and "urgency" in pushed[0].explanation


def test_a_frame_looks_before_or_after_the_hit_not_both() -> None:
    from pydantic import ValidationError

    from qingfeng.pipeline.framing import FrameSpec

    spec = {"name": "x", "title": {"zh": "x", "en": "x"}, "rules": ["ABU003"], "cues": ["被"], "within": 1}
    assert FrameSpec.model_validate({**spec, "after": True}).after
    with pytest.raises(ValidationError, match="not both"):
        FrameSpec.model_validate({**spec, "before": True, "after": True})


@pytest.mark.parametrize(
    ("text", "term", "rule", "category"),
    [
        ("今晚来我屋里喝点酒，懂的都懂", "今晚", "VUL090", "vulgar"),  # a wink beside the meal
        ("我家小店新开张，价格实惠，不用押金，照顾生意的加我", "照顾生意", "SPM002", "spam"),  # not the favour waived
        ("紧急扩散！听说他们厂有人得了艾滋，大家小心", "艾滋", "RUM001", "rumor"),  # pushed to spread: a rumour
        ("听说那针打了会不育，我邻居的儿子就是，大家都别打", "不育", "RUM001", "rumor"),  # the public told not to
        ("听说明天要下雨，水库要溃坝了，快转给家人", "听说", "RUM090", "rumor"),  # a disaster in the forecast
        ("那家足浴店有特殊服务，全套三百", "特殊服务", "ILL009", "illegal"),  # a deal named
        ("哈哈，你等着，我找人收拾你", "收拾你", "ILL006", "illegal"),  # others brought in
    ],
)
def test_an_overriding_cue_keeps_the_hit(checker: Checker, text: str, term: str, rule: str, category: str) -> None:
    assert _frame_for(checker, text, term, rule, category) is None


def _frame_for(checker: Checker, text: str, term: str, rule: str, category: str) -> Frame | None:
    """The frame that sets aside a hit on ``term`` in ``text``, as any detector kind would make it, or None."""
    from qingfeng.core.models import Message
    from qingfeng.detectors.base import Doc, Hit
    from qingfeng.text.normalize import normalize_many

    norm = normalize_many([text])[0]
    doc = Doc(Message(text=text, **WORK), norm, "work", checker._find_terms([norm.text])[0])
    at = norm.text.index(term)
    return checker.frames.excuse(doc, rule, category, Hit(at, at + len(term), 0.9, "test"))


def _rules(checker: Checker, text: str) -> set[str]:
    return {f.rule for f in checker.check(text, **WORK) if f.severity != "info"}


@pytest.mark.parametrize(
    ("framed", "later"),
    [
        ("“傻逼”这两个字别再用了", "，你个废物"),  # the quoted word set aside, the insult after it not
        ("他骂我“神经病”，", "我说你才是个人渣"),
        ("“贱人就是矫情”是句台词，", "你这个贱货"),
    ],
)
def test_a_hit_set_aside_does_not_hide_a_later_word_of_the_rule(checker: Checker, framed: str, later: str) -> None:
    assert "ABU001" not in _rules(checker, framed)
    assert "ABU001" in _rules(checker, framed + later)


def test_the_same_word_said_again_is_read_as_its_frame_read_it(checker: Checker) -> None:
    """Judged alone, the repeat would stand: it stays a mention of the quoted word."""
    assert "ABU001" in _rules(checker, "跟鬼子没关系")
    assert "ABU001" not in _rules(checker, "我们县的“鬼子岭”其实是古地名，跟鬼子没关系")


SCAM_SMS = "【医保局】您的医保卡因长时间未使用被冻结，请在24小时内点击 http://yb-jd.top 解冻。"


@pytest.mark.parametrize(
    "text",
    [
        f"这条短信是真的吗？\n{SCAM_SMS}",  # the forwarder's question on a line before the pasted text
        f"{SCAM_SMS}\n——刚收到的，网址看着怪怪的，别点啊",  # …or after it
        f"收到一条：“{SCAM_SMS}”大家注意，别点",  # …or outside its quotes
    ],
)
def test_a_pasted_scam_doubted_by_its_forwarder_is_reported_not_done(checker: Checker, text: str) -> None:
    assert "fraud" in flagged(checker, SCAM_SMS)
    assert "fraud" not in flagged(checker, text)


@pytest.mark.parametrize(
    "text",
    [
        f"这个我帮你们问过了，是真的，大家快去领\n{SCAM_SMS}",  # vouched for and urged on
        f"{SCAM_SMS}\n——是真的吗？我已经领了",  # a question, then the forwarder's own use of it
        f"{SCAM_SMS}别点错了，是真的吗",  # no break: the question is inside the pasted text itself
    ],
)
def test_a_pasted_scam_vouched_for_or_not_set_apart_stays_a_scam(checker: Checker, text: str) -> None:
    assert "fraud" in flagged(checker, text)


def test_a_payment_reported_under_the_offices_tag_asks_nothing(checker: Checker, frameless: Checker) -> None:
    notice = "【苏州医保】您5月16日在区人民医院门诊就医，医保统筹支付70.19元，个人账户支付58.78元。"
    assert "fraud" in flagged(frameless, notice)
    assert "fraud" not in flagged(checker, notice)
    # the impostor's notice asks: a link, a log-in, an account to unfreeze
    asked = "【苏州医保】您的医保统筹支付已暂停，个人账户已冻结，请登录 http://yb-sz.top 提供银行卡号解冻。"
    assert "fraud" in flagged(checker, asked)


# (category, a text a frame sets aside though the detectors alone read it so, its twin that the frame leaves
# standing)
FRAMED = [
    # a shop's offer relayed to family; an article pasted with its page furniture
    ("spam", "看到盒马APP上说周末水果打折，老妈要不要我帮你在APP上下单送到家？",
     "周末水果打折，苹果5元一斤，需要的私聊我下单，送货到家"),
    ("spam", "点击上方蓝字关注我们 今年本市改造老旧小区，惠及居民9万户，改造内容包括停车位改造、加装电梯。阅读原文",
     "点击上方蓝字关注我们 新楼盘地下车位特价9万一个，咨询热线13800001234"),
    # service notices to their own customer: a one-time code with its own warning, a utility's bill, a booking, a
    # card's spending; the scam asks for the code, a QQ contact, card details; the hotel sells
    ("fraud", "308112是你的电子社保卡验证码，此验证码用于登录，请勿转发。【电子社保卡】",
     "【电子社保卡】您的社保卡已冻结，验证码308112，请把验证码发给我帮您解冻"),
    ("fraud", "【国网安徽电力】尊敬的客户，您户号3301928811的6月电费88.20元，请及时缴纳，可通过网上国网APP缴费。",
     "【国网安徽电力】您的电费已欠费，明天停电，请添加QQ 80051122 缴纳滞纳金"),
    ("spam", "【同程旅行】您预订的如家酒店(东关店)已确认，入住6月2日，请携带身份证。",
     "【如家酒店】暑期特惠，双床房低至99元，欢迎致电预订 0551-63328812"),
    ("fraud", "【建设银行】您尾号6612的信用卡于14:20消费人民币328.50元，可用额度21000元。",
     "【建设银行】您的信用卡额度异常已冻结，请提供卡号和验证码解冻"),
    ("fraud", "【城关农商银行】您尾号2744的账户9日转入报销款4220.36元。",
     "【城关农商银行】您尾号2744的账户9日转入异常已冻结，请点击链接解冻 http://csyh-jd.cn"),
    # a group named as one's own, or to refute a stereotype
    ("abuse", "我们湖南人就是这样，无辣不欢，顿顿都要辣椒", "湖南人都是骗子，没一个好东西"),
    ("abuse", "一说到广东人就说什么都吃，这种说法早过时了，我那几个广东同学都挺挑食",
     "广东人什么都吃，恶心死了，离远点"),
    # a classified paper kept off the chat, a sample, a marking named as a word, a paper already public
    ("secrecy", "这份报告是机密级的，不能微信发你，下午你到机要室看纸质版",
     "这份报告是机密级的，我从机要室借出来拍照发你，看完删掉"),
    ("secrecy", "培训用的样例文件抬头印着“秘密★”，大家照着格式练", "机密文件我截图发你了，别外传"),
    ("secrecy", "我把那个文件夹命名为“绝密”，免得自己乱删，里面其实是照片", "这份绝密文件我拍照发你，看完删掉"),
    ("secrecy", "这份红头文件是公开的，网上能查到", "这份红头文件还没公开，我先拍给你看"),
    # buyers among themselves
    ("spam", "周末谁一起去新楼盘转转，首付三成，我就看看不买",
     "新楼盘首付三成，现在认筹送家电，详询售楼部电话0551-66668888，我就看看不买勿扰"),
    # a body's meeting of its own members, a reunion's 包吃住 (lawful gatherings, out of scope)
    ("spam", "下周六商会年会在金鼎酒店举行，会员企业请报名参加，联系人王秘书13800001111",
     "商会会员企业专享：本店全场8折，欢迎选购，电话13800001111"),
    # what the writer goes on to forbid posting; a buyer asking after a discount; a utility's bill with the official
    # ways to pay; evidence listed in a case; a famous scene of a spy drama
    ("vulgar", "那种黄段子别往群里发了，领导也在群里", "给你们发个黄段子，笑死我了"),
    ("privacy", "病人的身份信息、病历资料一律不得拍照发到工作群", "这是住院病人的身份信息和病历资料汇总表，大家看一下"),
    ("spam", "驾校暑假报名有优惠吗？谁家孩子最近考过", "驾校暑假报名优惠200元，名额有限，扫码咨询"),
    ("fraud", "【城南水务】您本月水费36.80元，请于本月25日前通过官方App或营业厅缴纳。",
     "【城南水务】您本月水费已逾期，请于今日前将欠费转至以下账户6222020200112233445"),
    ("illegal", "这起案子的物证：冰毒2包、电子秤1台，下午送检", "冰毒2包，老地方交货，现金结"),
    ("privacy", "重温谍战剧名场面，特工在档案室偷拍文件那段还是紧张", "我偷拍了隔壁科小刘换衣服，发群里给大家看看"),
    ("spam", "同学会定于国庆在老校区举行，每人交300，包吃住一天，报名联系班长",
     "商会会员企业专享：本店全场8折，欢迎选购，电话13800001111"),
]


@pytest.mark.parametrize(("category", "framed", "twin"), FRAMED)
def test_a_frame_sets_aside_what_the_detectors_read_and_leaves_its_twin(
    checker: Checker, frameless: Checker, category: str, framed: str, twin: str
) -> None:
    assert category in flagged(frameless, framed)  # the detectors alone read it so
    assert category not in flagged(checker, framed)
    assert category in flagged(checker, twin)


def test_the_writers_own_new_number_is_no_one_elses(checker: Checker) -> None:
    assert "privacy" not in flagged(checker, "我新换的号 139 1234 5678，以后打这个")
    assert "privacy" not in flagged(checker, "我换号了，新号13912345678，存一下")
    assert "privacy" in flagged(checker, "老王新换的号 139 1234 5678，你们存一下")


def test_form_advice_yields_to_a_graver_finding(checker: Checker) -> None:
    """A fake notice is told for what it says: its missing signature (ETQ004 yields) is advice only."""
    fake = "紧急通知：明天起全市停水三天，消息是内部人员说的，赶紧囤水转给亲友"
    rumour = {f.rule: f for f in checker.check(fake, **WORK)}
    assert rumour["ETQ004"].severity == "info" and "graver rule" in rumour["ETQ004"].explanation
    assert any(f.category == "rumor" and f.severity != "info" for f in rumour.values())
    plain = {f.rule: f for f in checker.check("通知：明天上午九点在三楼会议室开会，请准时参加", **WORK)}
    assert plain["ETQ004"].severity == "warn"  # nothing graver: the form advice stands


def test_a_threat_on_a_condition_is_no_prohibition(checker: Checker) -> None:
    """举报 before a threat is what the victim must not do, not a ban on the threat (the negated frame)."""
    assert "illegal" in flagged(checker, "你再敢举报我，我弄死你全家")
    assert "illegal" not in flagged(checker, "发现赌博请举报，严禁赌博")


def test_a_misfortune_mourned_is_no_scare(checker: Checker) -> None:
    assert "rumor" not in flagged(checker, "昨天那个车祸好惨，听说死了两个人")
    assert "rumor" in flagged(checker, "听说化工厂爆炸死了十几个，官方瞒报，好惨，赶紧转给家人")


def test_a_news_tag_over_a_claim_form_is_no_report(checker: Checker) -> None:
    """News tells; a scam borrows a broadcaster's tag and asks the reader to claim or log in."""
    assert "fraud" in flagged(checker, "【新华社】国家发放育儿补贴，每孩每月500元，点击领取：http://yuer-bt.cn/lq")
    assert "fraud" not in flagged(checker, "【新华社】国家发放育儿补贴，每孩每月500元，由户籍地统一发放，无需申请")
