"""The statistical-model rules: what reaches a model, what its findings point at and say."""

from __future__ import annotations

import re

import numpy as np
import pytest

from qingfeng import Checker
from qingfeng.core.models import Message, from_model
from qingfeng.detectors.classifier import setting_prefix
from qingfeng.detectors.ngrams import featurise
from qingfeng.detectors.scoring import MODELS, load_model
from qingfeng.rulebook.loader import default_rulebook
from qingfeng.text.normalize import normalize_many

MODEL_RULES = [rule for rule in default_rulebook().rules_for("message") if rule.detector["kind"] == "classifier"]
JUNK = ["6666666666", "13912345678", "12345678901234567", "[图片]", "[语音]", "[捂脸][捂脸][捂脸]",
        "哈哈哈哈哈哈", "hhhhhhh", "😂😂😂😂", "🍆🍆🍆", "。。。。。。", "666", "2333333", "呵呵呵", "嘻嘻",
        "[图片] 13912345678 哈哈哈"]
SETTINGS = [
    {"channel": "private"},
    {"channel": "group", "room_name": "县财政局办公室工作群"},
    {"channel": "group", "room_name": "老同学群"},
    {"channel": "private", "type": "redpacket", "amount": 200},
    {"channel": "moments"},
]


def _normalised(texts: list[str]) -> list[str]:
    return [norm.text for norm in normalize_many(texts)]


@pytest.mark.parametrize("name", sorted(path.stem for path in MODELS.glob("*.npz")))
def test_junk_never_reaches_a_model_but_words_do(name: str) -> None:
    model = load_model(name)
    settings = [setting_prefix(Message(text="x"), "none")] * (len(JUNK) + 1)
    scores = model.score_many([*_normalised(JUNK), "请把这份材料转发到群里"], settings)
    assert [text for text, score in zip(JUNK, scores, strict=False) if score is not None] == []
    assert scores[-1] is not None


@pytest.mark.parametrize("fields", SETTINGS)
def test_junk_gets_no_model_finding_in_any_setting(fields: dict) -> None:
    checker = Checker(select=[rule.id for rule in MODEL_RULES])
    messages = [Message.model_validate({"text": text, **fields}) for text in JUNK]
    assert [(m.text, f.rule) for m, found in zip(messages, checker.check_batch(messages), strict=True)
            for f in found] == []


def test_homophones_meet_in_pinyin_features() -> None:
    features = featurise(_normalised(["加微信", "加薇芯", "加入群"]), load_model("messages").spec)

    def buckets(doc: int) -> set[int]:
        return set(features.bucket[features.doc == doc].tolist())

    plain, disguised, other = buckets(0), buckets(1), buckets(2)
    # 加 alone shares only its own n-grams with 加入群; 薇芯 shares every pinyin n-gram with 微信 besides
    assert len(plain & disguised) > len(plain & other) + 2


def test_a_text_scores_the_same_alone_and_in_a_batch() -> None:
    model = load_model("messages")
    texts = _normalised(["自家果园的猕猴桃熟了，十斤装包邮，需要的私我", "[图片]", "明天上午九点开会", "你就是个废物"])
    settings = [setting_prefix(Message(text="x", channel="group"), "work")] * len(texts)
    together = model.score_many(texts, settings)
    for number, text in enumerate(texts):
        alone = model.score_many([text], settings[:1])[0]
        if alone is None:
            assert together[number] is None
        else:
            assert together[number] is not None
            assert np.allclose(list(alone.probabilities.values()), list(together[number].probabilities.values()))


def _model_findings() -> list[tuple[str, object]]:
    checker = Checker(select=[rule.id for rule in MODEL_RULES], lang="zh")
    messages = [example.message() for rule in default_rulebook().rules_for("message")
                for example in rule.examples.messages("fire")]
    return [(m.text, f) for m, found in zip(messages, checker.check_batch(messages), strict=True) for f in found]


def test_model_findings_mark_the_words_that_drove_them() -> None:
    found = _model_findings()
    assert len(found) >= 20, "the rulebook's fire examples should give the model rules something to say"
    for text, finding in found:
        assert from_model(finding)
        assert finding.start is not None and finding.end is not None, finding
        assert finding.start >= 0 and finding.end <= len(text) and finding.end - finding.start >= 2, finding
        assert finding.excerpt == text[finding.start : finding.end]
        words = re.findall(r"「(.+?)」", finding.explanation)
        assert words, finding.explanation
        # the first word named is the span, as the engine's normaliser reads it
        assert words[0] == _normalised([finding.excerpt])[0], (finding.excerpt, finding.explanation)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_model_rules_advise_for_their_category(lang: str) -> None:
    advice = {rule.id: rule.advice.get(lang) for rule in MODEL_RULES}
    assert len(set(advice.values())) == len(advice), "each model rule has its own advice"
    boilerplate = ("请对照本类别的规则说明", "Check the message against this category's rules")
    assert [rule for rule, text in advice.items() if any(b in text for b in boilerplate)] == []
    checker = Checker(select=[rule.id for rule in MODEL_RULES], lang=lang)
    found = [f for rule in MODEL_RULES for example in rule.examples.messages("fire")
             for f in checker.check(example.message())]
    assert found
    for finding in found:
        assert finding.advice == advice[finding.rule]
