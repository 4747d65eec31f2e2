"""A short first draft's terms looked up substring by substring (no automaton built) are the automaton's:
the same terms, the same starts, in the same order, Latin-letter edges and host words included."""

from __future__ import annotations

from qingfeng.core.models import Message
from qingfeng.pipeline.engine import SHORT_TEXT, Checker
from qingfeng.rulebook.loader import Rulebook
from qingfeng.samples.synth import Generator
from qingfeng.text.normalize import normalize_many

ODD = ["usb接口坏了", "你个sb", "SB-200型", "12333-sb.vip", "sb sb sb", "慢性病要按时吃药", "现代还是本田", "好",
       "", "加微信加微信加微信", "qq群号", "VX：abc"]


def test_looked_up_terms_are_the_automaton_s(rulebook: Rulebook) -> None:
    records = Generator(seed=11, problem_share=0.5, rulebook=rulebook).records(600)
    texts = [Message.model_validate(record).text for record in records]
    texts += [example.message().text for rule in rulebook.rules_for("message") for which in ("fire", "pass")
              for example in rule.examples.messages(which)] + ODD
    normalised = [norm.text for norm in normalize_many(texts)]
    short = [text for text in normalised if len(text) <= SHORT_TEXT]
    assert len(short) > 1000
    checker = Checker(rulebook)
    checker.check(Message(text="把机密文件发我微信"))  # a first draft: looked up, no automaton built
    assert checker._matcher is None
    looked_up = [list(checker._looked_up(text).items()) for text in short]
    automaton = [list(found.items()) for found in checker._find_terms(short)]
    assert checker._matcher is not None
    assert looked_up == automaton
    assert sum(map(len, looked_up)) > 5 * len(short)  # most texts hold several terms
