"""Quiz questions as the pages and the API show them: prompts and option labels in the reader's language."""

from __future__ import annotations

from qingfeng.rulebook.quiz import FINE, PROBLEM, Question
from qingfeng.web.templating import pick

PROMPTS = {
    "fine": ("这条消息可以这样发吗？", "Is this message fine to send?"),
    "clause": ("这条消息违反了哪一条规定？", "Which provision does this message break?"),
}
FINE_LABELS = {
    FINE: ("可以发，没有问题", "Fine to send"),
    PROBLEM: ("不宜发，有问题", "Not fine: it has a problem"),
}


def prompt(question: Question, lang: str) -> str:
    return pick(lang, *PROMPTS[question.kind])


def option_labels(question: Question, lang: str) -> list[tuple[str, str]]:
    if question.kind == "fine":
        return [(option.value, pick(lang, *FINE_LABELS[option.value])) for option in question.options]
    return [(option.value, f"{option.value} {option.label}") for option in question.options]
