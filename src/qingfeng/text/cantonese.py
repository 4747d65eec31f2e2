"""Cantonese as people type it in chat (佢唔喺度, 冇问题, 讲咗三次仲错), read as the Mandarin the rulebook is
written in.

Only a text that holds one of Cantonese's own written marks (characters Mandarin does not write: 冇, 佢, 嘅, 咗…;
唔 only before a character, since Mandarin chat writes 唔 for a hum) is read so: there 系 is 是 and 边个 is 哪个,
where in Mandarin 系统 and 旁边 keep theirs. Every replacement has the length of what it replaces, so offsets into
the text stay those of the original.
"""

from __future__ import annotations

import re

# Characters of written Cantonese that Mandarin text does not write
MARKS = "冇佢嘅咗喺嘢啲畀睇哋嚟揾攞噉啱嬲嘥冧"
# 嗰 reaches here as 𠮶, the form OpenCC's traditional-to-simplified table gives it (and 搵 as 揾)
_THAT = "\U00020bb6"
_CHARACTERS = str.maketrans({
    "唔": "不", "冇": "没", "佢": "他", "嘅": "的", "咗": "了", "喺": "在", _THAT: "那", "啲": "些", "畀": "给",
    "俾": "给", "睇": "看", "哋": "们", "乜": "什", "嚟": "来", "揾": "找", "攞": "拿", "噉": "这",
    "咁": "这", "系": "是", "嬲": "气",
})
# Words whose Mandarin has as many characters (longest first where one holds another)
_WORDS = {
    "啱啱": "刚刚", "屋企": "家里", "边个": "哪个", "乜嘢": "什么", "点解": "为何", "而家": "现在", "琴晚": "昨晚",
    "寻日": "昨天", "听讲": "听说", "细路": "小孩", "边度": "哪里", "住边": "住哪", "返工": "上班", "放工": "下班",
    "仲有": "还有", "仲系": "还是", "仲错": "还错", "食饭": "吃饭", "食多": "吃多", "唔好食": "不好吃", "千祈": "千万",
    "唔好": "不要", "好唔好": "好不好",
    "睇片": "看片", "佢条": "他的", "我条": "我的", "你条": "你的",
}
_WORD = re.compile("|".join(sorted(map(re.escape, _WORDS), key=len, reverse=True)))
MARK = re.compile(f"[{MARKS}]|{_THAT}|唔[\u4e00-\u9fff]")


def read(text: str) -> str:
    """The Mandarin reading of a Cantonese text, of the same length."""
    return _WORD.sub(lambda match: _WORDS[match.group()], text).translate(_CHARACTERS)

