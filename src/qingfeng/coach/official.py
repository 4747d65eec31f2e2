"""The parts of an official work message (公务消息), read from its original text.

The codes (fm-1..5, ug-4) describe a well-formed work message: a salutation naming the recipients, the
subject in the first sentence, numbered points, a closing (特此通知 / 收到请回复) and a signature. This
module finds those parts, so the form detectors can say what is missing and ``compose`` can add it.

It reads the ORIGINAL text, not the normalised one: line breaks and the spaces between a unit and a
name ("营销部 贾红") carry structure that normalisation removes. Offsets are in the original text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib.resources import files

from qingfeng.core.cache import yaml_data

Span = tuple[int, int]
# The word lists are data (official.yaml, beside this module), read once when the module loads.
WORDS: dict[str, list[str]] = yaml_data(files("qingfeng.coach").joinpath("official.yaml").read_text("utf-8"))


def _alt(name: str) -> str:
    """A word list of official.yaml as alternatives: ['甲', '乙'] → '甲|乙'."""
    return "|".join(WORDS[name])


_SPACE = r"[\s\u3000]"
# Blank space, @mentions and a voice transcript's label come before the message proper.
_LEAD = re.compile(
    rf"^(?:{_SPACE}|@[^\s\u3000@，,：:。]{{1,20}}(?:{_SPACE}|$)|[（(\[【]语音(?:转文字)?[）)\]】][:：]?)*"
)
_FORWARD = re.compile(r"【?转发】?|转[:：]|转自|fw[d]?[:：]", re.IGNORECASE)  # matched at the body's start
# Asking everyone to pass it on: a chain message or a rumour dressed as a notice, not a work notice.
_SPREAD = re.compile(_alt("spread"))
_NOTICE_WORDS = f"(?:{_alt('kinds_of_notice')})"
# The patterns below are matched where the body starts (``match(text, pos)``), so they carry no ``^``.
# A notice opens with its header: "通知：", "【紧急通知】", "关于…的通知", "区教育局关于…的通知",
# "组会通知：" ("通知大家…" is talk, not a header).
_HEADER = re.compile(
    rf"【?{_SPACE}*{_NOTICE_WORDS}{_SPACE}*通知{_SPACE}*(?:】|[:：]|{_SPACE}|(?=[^到了书单你我他她]))"
    rf"|【?{_SPACE}*通知{_SPACE}*(?:】|[:：，,]|{_SPACE})"
    # …not a notice named as done or sent (《关于…的通知》已在网站公开发布, …的通知已经转到各单位邮箱)
    rf"|【?(?P<issuer>[^，,。！？!?\s：:【】]{{0,20}}?)关于[^。！？!?\n]{{2,60}}?的通知(?![》」”]?(?:已|在|于|下发|印发|转))】?"
    rf"|【?(?P<prefix>[^，,。！？!?\s：:【】]{{1,14}}?)通知】?{_SPACE}*[:：]"
)
_NOT_HEADER_PREFIX = re.compile(_alt("not_header_prefix"))
# A salutation addressing a group ("各位同事：", "各村", "全体党员：", "同志们，").
_GROUP_ADDRESS = re.compile(
    r"(?:请)?(?:各位|各(?![种类自个项样式])|全体|诸位)[^，,。！？!?：:\s]{0,14}?"
    r"(?=[:：，,]|" + _alt("address_followers") + ")"
    r"|[^，,。！？!?：:\s]{1,8}们(?=[:：，,])"
    r"|大家好?(?=[:：，,！!])"
)
# One person or a short list addressed by name or title ("王主任，", "郭姐，", "孙科、周科：").
_NAME = r"[^，,。！？!?：:\s\d]{1,6}"
_PERSON_ADDRESS = re.compile(rf"{_NAME}(?:[、和]{_NAME}){{0,3}}(?=[:：，,])")
# First clauses that look like an address but are talk ("收到，", "说实话，").
_NOT_ADDRESS = re.compile(
    "^(?:"
    + _alt(
        "not_address"
    )
    + ")"
)
# Words one of which every notice or group instruction holds: detectors run only where one is found.
NOTICE_CUES = (*WORDS["notice_cues"], *WORDS["report_verbs"])
_PUBLIC = re.compile(
    _alt("public")
)
_PUBLIC_ASKED = re.compile(
    r"请[^，,。！？!?]{0,8}?(?:" + _PUBLIC.pattern + ")|(?:提醒|温馨提示)[:：][^。！？!?]{0,30}?您"
)
_DIRECTIVE = re.compile(
    _alt(
        "directive"
    )
    + r"|于[^。！？!?]{0,12}前"
)
_DUTY = re.compile(
    _alt(
        "duty"
    )
)
_COLLECTIVE = re.compile(
    _alt(
        "collective"
    )
    # "各法官把…", "各村于…", "各驾驶员注意": everyone of a kind, told what to do
    + r"|各(?![种类自个项样式地方有])[\u4e00-\u9fff]{1,4}?(?=把|于|在|要|请|务必|须|将|按|到|提前|注意|做好|及时|准时)"
)
# Something to hand in by a deadline ("于周五前上报…", "明日下班前报送…"): a formal instruction.
_DEADLINE_REPORT = re.compile(
    r"(?:于|在)?[^。！？!?，,]{0,10}前[^。！？!?]{0,12}?(?:" + _alt("report_verbs") + ")"
)
_REPLY = re.compile(r"\s*(?:" + _alt("reply") + ")", re.IGNORECASE)
_IMPORTANT = re.compile(_alt("important"))
_CLOSING_NOTICE = re.compile(_alt("closing_notice"))
_CLOSING_REPLY = re.compile(
    _alt("closing_reply")
)
_NUMERAL = "一二三四五六七八九十"
_NUMBER = rf"(?:[0-9]{{1,2}}[.、．)）](?![0-9])|[（(][0-9{_NUMERAL}]{{1,2}}[)）]|[{_NUMERAL}]{{1,2}}、|[①-⑳])"
# A point's own number at the start of a line ("1. ", "（二）", "③").
ITEM_NUMBER = re.compile(rf"^\s*{_NUMBER}\s*", re.M)
_NUMBER_MARK = re.compile(
    rf"(?:^|(?<=[\n。；;：:，,\s]))(?:{_NUMBER}|第[{_NUMERAL}]+[，,、：:]|[{_NUMERAL}]是)"
)
_AFTER_PART = re.compile(r"】?[:：，,]?\s*")  # the punctuation closing a header or salutation
_SENTENCE_END = "。！？!?；;\n"
_SENTENCE = re.compile(rf"[^{_SENTENCE_END}]+[{_SENTENCE_END}]*")
_CLAUSE_END = re.compile(r"[，,。！？!?；;\n]")
_CLAUSE_MARK = re.compile(r"[，,。！？!?；;：:]")
_DASH = re.compile(r"(?:——|—|--|－－|~~|～～)\s*")
_TRAILING = "。.！!；;～~ \t\u3000\n"
_BRACKETS = "（）()【】[]「」"
_DATE = r"(?:[0-9]{2,4}年)?[0-9]{1,2}月[0-9]{1,2}日|[0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}"
_UNIT = _alt(
    "unit"
)
_ROLE = _alt(
    "role"
)
_ISSUER = re.compile(rf"(?:{_UNIT})$")
# A sign-off: a unit and/or a role, perhaps a name after it, perhaps a date.
_SIGNOFF = re.compile(
    rf"^(?P<unit>[^，,。！？!?：:]{{0,24}}?(?:{_UNIT}|{_ROLE}))(?P<name>{_SPACE}*[^\s\d，,。！？!?：:]{{1,6}})?$"
)
_SIGNERS = _alt("signers")
_SIGNED_BY = re.compile(rf"^(?:{_SIGNERS})[:：]{_SPACE}*[^\s，,。]{{1,20}}$")
_DATE_LINE = re.compile(rf"\n{_SPACE}*(?:{_DATE}){_SPACE}*$")
_DATE_PART = re.compile(rf"{_SPACE}*(?:{_DATE}){_SPACE}*$")
# A contact number after a sign-off (营销部 贾红 0591-8763 5520, 办公室 电话：13800001234)
_PHONE_PART = re.compile(
    rf"{_SPACE}*(?:电话|联系电话|手机|tel|Tel|TEL)?[:：]?{_SPACE}*\+?[0-9][0-9\- ]{{5,}}[0-9]{_SPACE}*$"
)
# Words a unit's name does not hold but a sentence does ("…到村部", "…负责人参加").
_SENTENCE_WORD = re.compile(
    _alt(
        "sentence_word"
    )
)
_NAME_NOT = re.compile(_alt("name_not"))
_UNIT_WORDS = re.compile(_alt("unit_words"))
_SENTENCE_TAGS = frozenset("vrdpucy")  # jieba's verb, pronoun, adverb, preposition, particle, conjunction, modal
_CONTACT = re.compile(_alt("contact"))
OPENERS = tuple(WORDS["openers"])
_OPENER = re.compile("|".join(sorted(map(re.escape, OPENERS), key=len, reverse=True)))
_BARE_CALL = re.compile(r"\s*(?!厕所|诊所|场所|住所|派出所|研究所)([^\s，,。！？!?~～]{1,6})[~～]?[？?]+\s*")
_GREETING = re.compile(
    _alt("greeting"), re.IGNORECASE
)
# What an opener may carry without saying anything: particles, urgency, thanks ("在吗啊", "看到回我一下，急").
_EMPTY_WORDS = re.compile(
    _alt(
        "empty_words"
    )
)
_TITLE = _alt(
    "title"
)
_TITLED = re.compile(rf"^[^\s\d]{{0,3}}(?:{_TITLE})$")
_ADDRESS_WORD = re.compile(
    rf"^(?:你|您|都|各位|大家|全体|亲|领导|老师|哥|姐|同志们?|[^\s\d]{{1,3}}(?:{_TITLE})|[^\s\d]{{2,3}})(?:好)?$"
)
_KIN = re.compile(
    "^(?:"
    + _alt(
        "kin"
    )
    + ")$"
)
_FILLER = re.compile(
    r"[\s\u3000，,。.！!？?、~～…：:；;'\"“”‘’（）()\[\]【】\U0001f000-\U0001faff\u2600-\u27bf\ufe0f]+"
)


class Structure:
    """What an official message has and lacks. Spans index the original text.

    Each part is found the first time it is asked for: most messages are chat, and a detector asking
    whether a message is a notice at all should not pay for finding its signature and its points.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.body_start = _lead_end(text)  # after leading @mentions, blank space, a voice label

    @cached_property
    def forwarded(self) -> bool:
        """Passed on from elsewhere ("转发：…"), or asking to be passed on ("…扩散！")."""
        return bool(_FORWARD.match(self.text, self.body_start) or _SPREAD.search(self.text))

    @cached_property
    def _opening(self) -> tuple[Span | None, bool, Span | None, bool]:
        """(header, header names its issuer, salutation, salutation addresses a group)."""
        text, start = self.text, self.body_start
        lead = text[:start]
        header, issuer = (None, False) if self.forwarded else _header(text, start)
        if header is not None:
            after = _AFTER_PART.match(text, header[1])
            return (header, issuer, *_salutation(text, after.end() if after else header[1], lead))
        salutation, group = _salutation(text, start, lead)
        if salutation is not None and not self.forwarded:
            # "各位同事：通知：…" — the header may follow the salutation.
            after = _AFTER_PART.match(text, salutation[1])
            header, issuer = _header(text, after.end() if after else salutation[1])
        return header, issuer, salutation, group

    @property
    def header(self) -> Span | None:
        """The notice's header ("通知", "紧急通知", "关于…的通知")."""
        return self._opening[0]

    @property
    def header_names_issuer(self) -> bool:
        """"区教育局通知：" says who sends it."""
        return self._opening[1]

    @property
    def salutation(self) -> Span | None:
        return self._opening[2]

    @property
    def group_address(self) -> bool:
        """The salutation addresses a group ("各位…", "全体…", "…们", "@所有人")."""
        return self._opening[3]

    @cached_property
    def public_audience(self) -> bool:
        """Speaks to the public (villagers, parents, patients…): in the salutation, or by asking them to act
        ("请沿街商户…", "请符合条件的居民…", "我社…不会要求您…")."""
        span = self.salutation
        if span is not None and _PUBLIC.search(self.text, span[0], span[1]):
            return True
        return bool(_PUBLIC_ASKED.search(self.text))

    @cached_property
    def content_start(self) -> int:
        """After the header and salutation, where the matter itself begins."""
        position = self.body_start
        for part in sorted(span for span in (self.header, self.salutation) if span is not None):
            if part[0] <= position + 2:  # header and salutation open the message, in either order
                after = _AFTER_PART.match(self.text, part[1])
                position = max(position, after.end() if after else part[1])
        return position

    @cached_property
    def directive(self) -> bool:
        """Asks the recipients to do something ("请", "务必", "于…前")."""
        return bool(_DIRECTIVE.search(self.text))

    @cached_property
    def collective(self) -> bool:
        """Speaks to everyone somewhere in the text ("全体干警", "所有人员", "大家")."""
        return bool(_COLLECTIVE.search(self.text))

    @cached_property
    def duty(self) -> bool:
        """A duty, not a favour: to be somewhere, to hand something in, by a time ("到岗", "报送")."""
        return bool(_DUTY.search(self.text))

    @cached_property
    def sentences(self) -> tuple[Span, ...]:
        return _sentences(self.text)

    @cached_property
    def items(self) -> int:
        """Sentences or ；-separated clauses that each ask for something."""
        return _items(self.text, self.sentences)

    @cached_property
    def numbered(self) -> bool:
        return len(_NUMBER_MARK.findall(self.text)) >= 2 or bool(ITEM_NUMBER.search(self.text))

    @cached_property
    def closing_notice(self) -> bool:
        """特此通知."""
        return bool(_CLOSING_NOTICE.search(self.text))

    @cached_property
    def closing_reply(self) -> bool:
        """收到请回复."""
        return bool(_CLOSING_REPLY.search(self.text))

    @cached_property
    def important(self) -> Span | None:
        """The first word that marks the matter as important."""
        found = _IMPORTANT.search(self.text)
        return found.span() if found else None

    @cached_property
    def signature(self) -> Span | None:
        return _signature(self.text)

    @cached_property
    def contact_line(self) -> bool:
        """"联系人：…，电话：…": a way to reach the sender, short of a signature."""
        return bool(_CONTACT.search(self.text))

    @cached_property
    def formal_instruction(self) -> bool:
        """A notice in all but its header: something to report by a deadline ("各医疗机构于本周五前上报…"),
        not a reply that promises it ("已收到，周五前报送。")."""
        return not _REPLY.match(self.text, self.body_start) and bool(_DEADLINE_REPORT.search(self.text))

    @property
    def is_notice(self) -> bool:
        """Headed as a notice (通知)."""
        return self.header is not None

    @property
    def is_notice_like(self) -> bool:
        """A notice, or an instruction given as one: addressed to a group, signed by its sender or
        speaking to everyone, and telling the recipients what to do ("各位老师：…请…",
        "…不得请假。执行局办公室", "明早8点全科室到会议室开会，不得迟到"). Cheapest tests first."""
        if self.is_notice:
            return True
        if self.group_address and self.directive:
            return True
        if self.collective and self.duty:
            return True
        if self.formal_instruction:
            return True
        return (self.group_address or self.directive) and self.signature is not None

    @property
    def first_clause(self) -> Span:
        """The matter's first clause: where the salutation belongs when there is none."""
        end = _CLAUSE_END.search(self.text, self.content_start)
        stop = end.start() if end and end.start() > self.content_start else len(self.text)
        return (self.content_start, stop) if stop > self.content_start else (self.body_start, len(self.text))

    @property
    def last_sentence(self) -> Span:
        return self.sentences[-1] if self.sentences else (0, len(self.text))


def _lead_end(text: str) -> int:
    return _LEAD.match(text).end()  # type: ignore[union-attr]  # the pattern matches the empty string


def _header(text: str, start: int) -> tuple[Span | None, bool]:
    """The notice's header, and whether it names who issues it."""
    match = _HEADER.match(text, start)
    if match is None:
        return None, False
    found = match.group()
    prefix = match.group("prefix")
    if prefix is not None and _NOT_HEADER_PREFIX.search(prefix):
        return None, False
    issuer = match.group("issuer") or (re.sub(_NOTICE_WORDS + "$", "", prefix) if prefix else "")
    begin = start + len(found) - len(found.lstrip("【 \u3000"))
    end = start + len(found.rstrip("】:：，, \u3000\t\n"))
    return (begin, end), bool(_ISSUER.search(issuer))


def _salutation(text: str, start: int, lead: str) -> tuple[Span | None, bool]:
    """Who the message addresses, and whether that is a group."""
    everyone = re.search(r"@(?:所有人|全体成员)", lead)
    if everyone is not None:
        return everyone.span(), True
    group = _GROUP_ADDRESS.match(text, start)
    if group is not None and group.end() > start:
        begin = start + 1 if text.startswith("请", start) else start
        return (begin, group.end()), True
    person = _PERSON_ADDRESS.match(text, start)
    if person is not None and is_address(person.group()):
        return person.span(), False
    return None, False


def is_address(words: str) -> bool:
    """A name, a title or a short list of them ("王主任", "郭姐", "孙科、周科", "刘老师您好")."""
    if not words or _NOT_ADDRESS.match(words) or _DIRECTIVE.search(words):
        return False
    parts = re.split(r"[、和]", _GREETING.sub("", words))
    return all(_ADDRESS_WORD.match(part) for part in parts)


def _sentences(text: str) -> tuple[Span, ...]:
    return tuple(
        match.span() for match in _SENTENCE.finditer(text) if match.group().strip(_TRAILING + _BRACKETS)
    )


def _is_signoff(tail: str) -> bool:
    if _SIGNED_BY.match(tail):
        return True
    match = _SIGNOFF.match(_PHONE_PART.sub("", _DATE_PART.sub("", tail)).strip())
    if match is None:
        return False
    name = match.group("name") or ""
    return not _holds_sentence_word(match.group("unit")) and not _NAME_NOT.search(name)


def _holds_sentence_word(unit: str) -> bool:
    """Whether a would-be unit's name holds a word only a sentence has (…到村部, 请各村…, 有没有什么好办): the
    word itself, or a verb, pronoun, adverb or particle holding it. Such a character inside a noun (交 in
    交通运输局, 有 in 有限公司) or a word of units' names (就 in 就业服务中心) is none."""
    if not _SENTENCE_WORD.search(unit):
        return False
    from qingfeng.text.words import tagged  # the segmenter loads only for a sign-off in doubt

    return any(
        _SENTENCE_WORD.fullmatch(word) or (tag[:1] in _SENTENCE_TAGS and _SENTENCE_WORD.search(word))
        for word, tag in tagged(unit) if not _UNIT_WORDS.fullmatch(word)
    )


def _signature(text: str) -> Span | None:
    """The sign-off at the end: alone on the last line, after the last full stop, or after a dash
    ("——镇农办", "营销部 贾红", "安全环保部 3月9日"), perhaps with the date on a line of its own."""
    end = len(text.rstrip(_TRAILING))
    dated = _DATE_LINE.search(text, 0, end)
    core = text[: dated.start() if dated else end].rstrip(_TRAILING)
    dashes = list(_DASH.finditer(core, max(0, len(core) - 40)))
    if dashes:
        begin = dashes[-1].end()
        tail = core[begin:].strip(_BRACKETS + " \u3000")
        sentence = _CLAUSE_MARK.search(tail) or _DIRECTIVE.search(tail) or _NAME_NOT.search(tail)
        if tail and len(tail) <= 20 and not sentence:
            return begin, end
    starts = []
    line = core.rfind("\n")
    if line >= 0:
        starts.append(line + 1)
    cut = max(core.rfind(mark) for mark in "。！？!?；;")
    if cut >= 0:
        starts.append(cut + 1)
    for begin in starts:
        tail = core[begin:].strip().strip(_BRACKETS).strip()
        if tail and len(tail) <= 32 and _is_signoff(tail):
            return begin + (len(core[begin:]) - len(core[begin:].lstrip())), end
    return None


def _items(text: str, sentences: tuple[Span, ...]) -> int:
    count = 0
    for start, end in sentences:
        sentence = text[start:end]
        if _CLOSING_NOTICE.search(sentence) or _CLOSING_REPLY.search(sentence):
            continue  # the closing asks for a reply; it is not one of the points
        clauses = [part for part in re.split(r"[；;]", sentence) if part.strip()]
        count += sum(1 for clause in clauses if _DIRECTIVE.search(clause))
    return count


@lru_cache(maxsize=2048)
def analyse(text: str) -> Structure:
    """The official-message parts of one text (cached: several rules read the same message)."""
    return Structure(text)


@dataclass(frozen=True, slots=True)
class Opener:
    """A "在吗"-style opener (ug-4) and whether anything but an address comes with it."""

    span: Span
    bare: bool
    address: str  # who it was addressed to, where it says ("王科", "刘老师")


def find_opener(text: str) -> Opener | None:
    """The opener at the start of a message (after an address), if there is one.

    Bare: nothing but an address, greetings and openers ("王科，在吗", "@范文博 在吗", "在不在啊王老师").
    """
    start = _lead_end(text)
    first = _OPENER.search(text, start)
    if first is None:
        return _bare_call(text, start)
    before = _FILLER.sub("", text[start : first.start()])
    if before and not (is_address(before) or not _GREETING.sub("", before)):
        return None  # the message starts with its subject; an opener later on is a closing
    rest = _EMPTY_WORDS.sub("", _FILLER.sub("", _GREETING.sub("", _OPENER.sub("", text[first.end() :]))))
    # After the opener only a title or a short name may follow ("在吗，王科"), not a subject ("有个事").
    bare = not rest or (is_address(rest) and (len(rest) <= 2 or bool(_TITLED.match(rest))))
    return Opener((first.start(), first.end()), bare, before)


def _bare_call(text: str, start: int) -> Opener | None:
    """Nothing but a title and a question mark ("李所？", "王老师?"): an opener in all but its words."""
    match = _BARE_CALL.fullmatch(text, start)
    if match is None or not _TITLED.match(match.group(1)):
        return None
    return Opener(match.span(), True, match.group(1))


def is_kin(address: str) -> bool:
    """Addressed to family: a private message to "妈" is not a work message."""
    return bool(_KIN.match(address))


__all__ = [
    "ITEM_NUMBER", "NOTICE_CUES", "OPENERS", "Opener", "Structure", "analyse", "find_opener", "is_address", "is_kin",
]
