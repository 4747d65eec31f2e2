"""The plain-Python scoring of one text (``onetext``) against numpy's (``scoring``): the same n-grams, the same
sums to the last bit, probabilities within a few units of the last place (``exp``), and so the same findings
whether a draft is screened in Python or scored with numpy."""

from __future__ import annotations

import math

import pytest

from qingfeng.core.models import Message
from qingfeng.detectors import classifier
from qingfeng.detectors.classifier import setting_prefix
from qingfeng.detectors.ngrams import featurise
from qingfeng.detectors.onetext import one_text
from qingfeng.detectors.scoring import MODELS, by_text, load_model
from qingfeng.pipeline.engine import Checker
from qingfeng.rulebook.loader import Rulebook
from qingfeng.samples.synth import Generator
from qingfeng.text.normalize import normalize_many
from qingfeng.text.rooms import ROOM_KINDS

ODD = ["", "好", "哈哈哈哈", "6666666666 收到", "[图片][图片]", "abc", "hhhhhhh ok", "😀😀😀 明天见",
       "转账 13912345678", "疑似诈骗：点击链接 http://x.cn 领取补贴", "薇芯加我", "a" * 200,
       "的" * 3, "加V：abc123，日赚三千"]


def _messages(rulebook: Rulebook) -> list[Message]:
    records = Generator(seed=7, problem_share=0.5, rulebook=rulebook).records(400)
    generated = [Message.model_validate(record) for record in records]
    examples = [example.message() for rule in rulebook.rules_for("message") for which in ("fire", "pass")
                for example in rule.examples.messages(which)]
    return generated + examples + [Message(text=text) for text in ODD]


@pytest.fixture(scope="module")
def texts(rulebook: Rulebook) -> list[tuple[str, str]]:
    """Normalised texts, each with a setting."""
    messages = _messages(rulebook)
    normalised = [norm.text for norm in normalize_many([m.text for m in messages])]
    rooms = [*ROOM_KINDS, "none"]
    return [(text, setting_prefix(message, rooms[number % len(rooms)]))
            for number, (text, message) in enumerate(zip(normalised, messages, strict=True))]


@pytest.mark.parametrize("name", sorted(path.stem for path in MODELS.glob("*.npz")))
def test_the_same_n_grams_sums_and_probabilities(name: str, texts: list[tuple[str, str]]) -> None:
    model, plain = load_model(name), one_text(name)
    scored = 0
    for text, setting in texts:
        used = setting if model.uses_setting else None
        features = by_text(featurise([text], model.spec, [used] if used else None))
        buckets, meaningful = plain.buckets(text, used)
        assert meaningful == int(features.meaningful[0])
        found = plain.sums(text, used)
        batch = model.score_batch([text], [used] if used else None)
        if not features.scored[0]:
            assert found is None and batch.scores(0) is None
            continue
        assert buckets == features.bucket.tolist(), text
        _, _, sums = model.weigh(features, [0, len(features.doc)])
        assert found is not None and found[0] == sums[0].tolist(), text  # to the last bit
        probabilities, _ = plain.probabilities(text, used)
        for ours, numpy_s in zip(probabilities, batch.probabilities[0].tolist(), strict=True):
            assert abs(ours - numpy_s) <= 4 * math.ulp(numpy_s)
        scored += 1
    assert scored > 500


def test_a_draft_screened_in_python_finds_what_numpy_finds(checker: Checker, rulebook: Rulebook,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    # numpy is loaded here: let every draft a one-shot process would screen in Python be screened so
    monkeypatch.setattr(classifier, "ONE_TEXT_CHARS", classifier.COLD_TEXT_CHARS)
    drafts = [m for m in _messages(rulebook) if len(m.text) <= classifier.COLD_TEXT_CHARS]
    assert len(drafts) > 800
    together = checker.check_batch(drafts)  # a batch: numpy scores every text
    alone = [checker.check(message) for message in drafts]  # a draft each: screened in Python first
    assert [[f.to_dict() for f in found] for found in alone] == [[f.to_dict() for f in found] for found in together]
    models = {rule.id for rule in rulebook.rules_for("message") if rule.detector["kind"] == "classifier"}
    assert sum(1 for found in alone for f in found if f.rule in models) > 20  # drafts numpy scored again
