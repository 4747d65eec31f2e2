"""Quiz questions as the pages and the API show them: prompts, answers in plain words, and why the right
answer is right, in the reader's language."""

from __future__ import annotations

from qingfeng.core.models import SEVERITY_RANK, Finding, needs_attention
from qingfeng.learn.quiz import FINE, PROBLEM, Question
from qingfeng.rulebook.loader import Rulebook
from qingfeng.web.templating import pick

PROMPTS = {
    "fine": ("这条消息可以这样发吗？", "Is this message fine to send?"),
    "problem": ("这条消息主要有什么问题？", "What is wrong with this message?"),
}
FINE_LABELS = {
    FINE: ("可以发，没有问题", "Fine to send"),
    PROBLEM: ("不宜发，有问题", "Not fine: it has a problem"),
}
# The kinds of problem, said the way a colleague would say them.
PROBLEM_LABELS = {
    "secrecy": ("泄露工作秘密或内部材料", "It leaks secret or internal work material"),
    "privacy": ("泄露别人的个人信息", "It exposes someone's personal data"),
    "gifts": ("收送红包礼金或好处", "It gives or takes gifts, red envelopes or favours"),
    "fraud": ("诈骗或冒充他人", "It is a scam or an impersonation"),
    "spam": ("打广告、推销拉客", "It advertises or sells"),
    "chain": ("诱导转发、集赞拉票", "It asks people to forward, like or vote"),
    "rumor": ("传播没有核实的消息", "It spreads unverified news"),
    "vulgar": ("低俗下流的内容", "It is vulgar or obscene"),
    "illegal": ("涉及赌博、毒品等违法内容", "It is about gambling, drugs or other illegal things"),
    "abuse": ("辱骂、威胁或歧视别人", "It insults, threatens or discriminates"),
    "etiquette": ("不合公文格式或工作礼仪", "It breaks official form or work etiquette"),
}


def prompt(question: Question, lang: str) -> str:
    return pick(lang, *PROMPTS[question.kind])


def option_labels(question: Question, lang: str) -> list[tuple[str, str]]:
    labels = FINE_LABELS if question.kind == "fine" else PROBLEM_LABELS
    return [(value, pick(lang, *labels[value])) for value in question.options]


def _leading(findings: tuple[Finding, ...]) -> Finding:
    return max(findings, key=lambda f: (SEVERITY_RANK[f.severity], f.confidence))


def _grounds(rulebook: Rulebook, rule_id: str, lang: str) -> str:
    """The written provision behind a rule: the document's title and the clause's gist."""
    clause = rulebook.clauses[rulebook.rule(rule_id).sources[0]]
    document = rulebook.documents[clause.document]
    title = document.title_en if lang == "en" else document.title_zh
    return pick(lang, f"依据：《{title}》——{clause.gist(lang)}", f"Grounds: {title}: {clause.gist(lang)}")


def why(question: Question, rulebook: Rulebook, lang: str) -> str:
    """Why the right answer is right, in a sentence or two."""
    rule = question.rule
    if question.kind == "fine" and not needs_attention(list(question.findings)):
        return pick(
            lang,
            f"这条消息没有问题。「{rule.title.zh}」管的是：{rule.description.zh}这条不属于这种情况。",
            f"This message is fine. “{rule.title.en}” is about this: {rule.description.en} This message is not.",
        )
    shown = rulebook.rule(_leading(question.findings).rule) if question.kind == "fine" else rule
    kind = pick(lang, *PROBLEM_LABELS[shown.category])
    problem = shown.message.get(lang).rstrip("。.") + pick(lang, "。", ". ")
    return f"{kind}{pick(lang, '：', ': ')}{problem}{_grounds(rulebook, shown.id, lang)}"
