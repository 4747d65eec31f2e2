"""Synthetic chat archives with a known mix of problems, for benchmarks and the demo.

Clean traffic comes from the templates below (written for this module; a rule's ``pass`` examples are not
used, since one rule's pass may be another's fire); problems are the rulebook's ``fire`` examples, each
counted by category and rule as it is written, so a scan of the archive can be compared with what was put in.
"""

from __future__ import annotations

import random
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import orjson

from qingfeng.coach.workcal import WorkingCalendar
from qingfeng.core.models import DEFAULT_ZONE
from qingfeng.rulebook.loader import Rulebook, default_rulebook

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶"
    "阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段"
)
GIVEN = ("伟", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞", "平",
         "刚", "桂英", "建华", "志强", "海燕", "晓东", "文博", "雪梅", "春生", "国庆", "红梅", "振华", "子涵", "宇轩")
WORK_ROOMS = (
    "县财政局办公室工作群", "第一中学高三年级组", "人民医院内科护理群", "城关镇党政办工作群", "东湖社区网格员工作群",
    "市场监管所执法一组", "县档案馆业务群", "交通运输局安全生产群", "税务分局征管股工作群", "区图书馆读者服务群",
)
SOCIAL_ROOMS = ("2008届高中同学群", "老王家亲戚群", "阳光花园业主群", "周末羽毛球群", "宝妈育儿交流群")
PLACES = ("三楼会议室", "五楼小会议室", "局机关报告厅", "二楼党员活动室", "镇政府一号会议室", "医院行政楼会议室")
MEETINGS = ("月度工作例会", "安全生产专题会", "预算执行分析会", "业务培训会", "党支部主题党日活动", "年度考核测评会")
DOCS = ("季度工作总结", "年度预算草案", "培训签到表", "值班安排表", "项目进度台账", "会议纪要初稿")
DAYS = ("周一", "周二", "周三", "周四", "周五", "明天", "后天", "本周五")
TITLES = ("主任", "科长", "老师", "处长", "所长", "组长", "站长")
WORK_LINES = (
    "各位同事：{day}上午九点在{place}召开{meeting}，请准时参加。{unit}办公室",
    "各位同事：{doc}已上传到工作平台，请于{day}下班前反馈修改意见。{unit}办公室",
    "收到，谢谢{title}。",
    "好的，我马上核对一下数据。",
    "{title}，{doc}第{n}页的合计数需要再核对一下。",
    "已收到，{day}前报送。",
    "请问{doc}用哪一版模板？",
    "各位同事：{day}下午的{meeting}改在{place}，其余安排不变。{unit}办公室",
    "{name}{title}，材料已经放在您办公桌上了。",
    "今天的值班表已经更新，请大家查看。",
    "明白，我们科室{day}交。",
    "会议材料共{n}份，已按座位摆放好。",
    "请大家注意，{place}的投影仪已经修好了。",
)
SOCIAL_LINES = (
    "周末一起去爬山吗？天气预报说是晴天。",
    "哈哈哈哈，太有意思了",
    "明天降温，大家注意添衣服。",
    "谁知道附近哪家早餐店好吃？",
    "孩子今天第一次自己系鞋带了😊",
    "晚上七点球馆见，我带球。",
    "生日快乐！天天开心！",
    "小区东门今天在修路，开车的绕一下北门。",
    "这周的菜价又涨了一点。",
    "到家了，谢谢大家关心。",
)
UNITS = ("县财政局", "城关镇", "县档案馆", "第一中学", "人民医院", "税务分局")


@dataclass
class Mix:
    """What went into an archive: clean messages, and problem messages by category and by rule."""

    messages: int = 0
    clean: int = 0
    by_category: Counter[str] = field(default_factory=Counter)
    by_rule: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class _Person:
    id: str
    name: str


class Generator:
    """Writes message records; ``problem_share`` of them are problems drawn from the rulebook."""

    def __init__(
        self,
        seed: int = 0,
        problem_share: float = 0.05,
        start: date = date(2026, 3, 2),
        rulebook: Rulebook | None = None,
    ) -> None:
        self.random = random.Random(seed)
        self.problem_share = problem_share
        self.start = start
        book = rulebook or default_rulebook()
        self.fire: list[tuple[str, str, dict[str, Any]]] = []
        for rule in book.rules_for("message"):
            for example in rule.examples.messages("fire"):
                self.fire.append((rule.id, rule.category, example.model_dump(exclude_none=True)))
        people = [_Person(f"u{n:04d}", self.random.choice(SURNAMES) + self.random.choice(GIVEN)) for n in range(500)]
        self.rooms = [(f"wr{n:03d}", name, name in WORK_ROOMS, people[n * 30 : n * 30 + 30])
                      for n, name in enumerate(WORK_ROOMS + SOCIAL_ROOMS)]
        self.people = people
        self.mix = Mix()
        self.calendar = WorkingCalendar()

    def records(self, n: int) -> Iterator[dict[str, Any]]:
        for number in range(1, n + 1):
            record = self._problem() if self.random.random() < self.problem_share else self._clean()
            record.setdefault("id", f"m{number:09d}")
            self.mix.messages += 1
            yield record

    def lines(self, n: int) -> Iterator[bytes]:
        for record in self.records(n):
            yield orjson.dumps(record) + b"\n"

    def _when(self, work: bool) -> datetime:
        day = self.start + timedelta(days=self.random.randrange(90))
        if work:
            day = self.calendar.next_workday(day)  # work talk on working days (holidays and swaps counted)
            minute = self.random.randrange(8 * 60 + 30, 17 * 60 + 30)
        else:
            minute = self.random.randrange(7 * 60, 22 * 60)
        return datetime.combine(day, time(minute // 60, minute % 60, self.random.randrange(60)), DEFAULT_ZONE)

    def _where(self) -> tuple[str, str, bool, _Person]:
        room, name, is_work, members = self.random.choice(self.rooms)
        return room, name, is_work, self.random.choice(members)

    def _clean(self) -> dict[str, Any]:
        self.mix.clean += 1
        room, room_name, work, person = self._where()
        template = self.random.choice(WORK_LINES if work else SOCIAL_LINES)
        text = template.format(
            day=self.random.choice(DAYS), place=self.random.choice(PLACES), meeting=self.random.choice(MEETINGS),
            doc=self.random.choice(DOCS), title=self.random.choice(TITLES), n=self.random.randrange(2, 40),
            name=self.random.choice(SURNAMES), unit=self.random.choice(UNITS),
        )
        return {
            "time": self._when(work).isoformat(), "channel": "group", "sender": person.id,
            "sender_name": person.name, "room": room, "room_name": room_name, "type": "text", "text": text,
        }

    def _problem(self) -> dict[str, Any]:
        rule, category, example = self.random.choice(self.fire)
        self.mix.by_category[category] += 1
        self.mix.by_rule[rule] += 1
        return self._placed(dict(example))

    def _placed(self, record: dict[str, Any]) -> dict[str, Any]:
        """An example given a sender, a room (its own where it names one) and a time (its own where given)."""
        room, room_name, work, person = self._where()
        record.setdefault("sender", person.id)
        record.setdefault("sender_name", person.name)
        if record.setdefault("channel", "private") == "group":
            if "room_name" in record:
                room = f"wx{zlib.crc32(record['room_name'].encode()):08x}"
            record.setdefault("room_name", room_name)
            record["room"] = room
        record.setdefault("time", self._when(work).isoformat())
        return record
