"""What kind of group a message was sent in, inferred from the group's name when no register says."""

from __future__ import annotations

import re
from functools import lru_cache

ROOM_KINDS: tuple[str, ...] = ("work", "notice", "project", "branch", "family", "friends", "other")
# Settings where the work-conduct rules on form apply: official business happens there.
WORK_ROOMS = frozenset({"work", "notice", "project", "branch"})
NO_ROOM = "none"  # one-to-one chats and Moments

# Checked in this order: a private circle named after a workplace ("局里羽毛球群") is still private.
_KIND_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("family", re.compile(r"家庭|一家|家人|亲人|亲戚|家族|相亲相爱|兄弟姐妹|姐妹|娘家|婆家|老.家|家群")),
    (
        "friends",
        re.compile(
            r"同学|老乡|宿舍|寝室|校友|战友|球友|钓鱼|跑团|跑步|打卡|驴友|车友|好友|朋友|闺蜜|发小|兄弟"
            r"|羽毛球|篮球|足球|乒乓|麻将|牌友|户外|骑行|广场舞|读书会|吃货|美食|聚餐|同乡|同好|爱好|业主|邻居"
            r"|书画|摄影|诗词|合唱|太极|退休|夕阳红|老年大学"
        ),
    ),
    ("branch", re.compile(r"党支部|支部|党委|党总支|党小组|党员|党建")),
    ("notice", re.compile(r"通知|公告|发布|通报")),
    ("project", re.compile(r"项目|课题|专班|指挥部|协调|攻坚|专项")),
    (
        "work",
        re.compile(
            r"工作|办公|局|处|科|中心|部|委|办|公司|集团|单位|医院|卫生院|学院|学校|中学|小学|镇|乡|街道|社区|村"
            r"|网格|派出所|所|队|站|值班|教职工|机关|政府|法院|检察|税务|班子|干部|职工|同事|团队|组"
        ),
    ),
)


@lru_cache(maxsize=4096)
def infer_room_kind(room_name: str | None) -> str:
    if not room_name:
        return "other"
    for kind, pattern in _KIND_PATTERNS:
        if pattern.search(room_name):
            return kind
    return "other"


def room_kind(channel: str, room: str | None, room_name: str | None, register: dict[str, str]) -> str:
    """The register's word wins; otherwise the name tells. One-to-one chats and Moments have no room."""
    if channel != "group":
        return NO_ROOM
    if room is not None and room in register:
        return register[room]
    return infer_room_kind(room_name)
