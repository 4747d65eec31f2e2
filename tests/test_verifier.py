"""The verifier (qingfeng.pipeline.verifier), with the shipped weights on messages written for these tests: it
lowers a hit it doubts to advice, naming the words around it, keeps a confident one, shows at warn a block it
is not confident of, never reads a rule that says ``verify: false``, and its weights come from the
compiled-artefact cache, half precision and mapped."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from qingfeng import Checker, Message
from qingfeng.core import cache
from qingfeng.core.models import Finding
from qingfeng.detectors.base import Doc, Hit
from qingfeng.detectors.grams import MODELS
from qingfeng.detectors.scoring import Model
from qingfeng.pipeline import verifier as verifier_module
from qingfeng.pipeline.verifier import KEPT, LOWERED, MODEL, WARNED, Verifier, fate, shipped
from qingfeng.rulebook.loader import default_rulebook
from qingfeng.text.normalize import normalize
from qingfeng.text.rooms import room_kind
from qingfeng.text.words import Words

BANTER = "老同学，你还是那么欠揍哈哈，二十年了一点没变"  # an old friend's teasing: ABU001 on 欠揍
OWN_CHECK_UP = "我妈体检报告出来了，血压有点高，医生说注意饮食就行"  # one's own family's check-up: PRV005
INSULT = "你他妈的是不是有病，滚"
CARD_GAME = "今晚老地方打牌，一把两百，带够现金"
SECRET = "这份内部资料别外传，只给你看"  # SEC002 at block, and meant
GAME_GUIDE = "游戏里的内部资料站更新了攻略"  # SEC002 at block on a game's guide site: the verifier is not sure


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(fast=True)


def _of(findings: list[Finding], rule: str) -> Finding:
    (found,) = [f for f in findings if f.rule == rule]
    return found


@pytest.mark.parametrize(("text", "rule"), [(BANTER, "ABU001"), (OWN_CHECK_UP, "PRV005")])
def test_a_doubted_hit_is_lowered_to_advice_not_dropped(checker: Checker, text: str, rule: str) -> None:
    unverified = Checker(fast=True)
    unverified.verifier = None
    assert _of(unverified.check(text), rule).severity == "warn"
    lowered = _of(checker.check(text), rule)
    assert lowered.severity == "info" and lowered.excerpt in text
    assert "核验模型" in lowered.explanation and "降为提示" in lowered.explanation


@pytest.mark.parametrize(("text", "rule", "severity"), [(INSULT, "ABU001", "warn"), (CARD_GAME, "ILL002", "block"),
                                                     (SECRET, "SEC002", "block")])
def test_a_confident_hit_keeps_its_severity(checker: Checker, text: str, rule: str, severity: str) -> None:
    kept = _of(checker.check(text), rule)
    assert kept.severity == severity and "核验模型" not in kept.explanation


def test_the_explanation_names_words_around_the_hit_in_the_users_language() -> None:
    for lang, lead in (("zh", "从上下文“"), ("en", "from the words around it: ")):
        finding = _of(Checker(fast=True, lang=lang).check(OWN_CHECK_UP), "PRV005")
        named = finding.explanation.split(lead, 1)[1]
        words = named.split("”", 1)[0] if lang == "zh" else named.split(" (p=", 1)[0]
        said = words.replace("、", ", ").split(", ")
        assert said and all(word and word in OWN_CHECK_UP and word not in finding.excerpt for word in said)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_doubt_is_data_on_the_finding_and_names_whole_words(lang: str) -> None:
    """The doubt behind the sentence: on the explanation and, additively, in the JSON record; the words it
    names are whole words of the message (their edges are word edges), outside the hit."""
    for text, rule in ((BANTER, "ABU001"), (OWN_CHECK_UP, "PRV005")):
        finding = _of(Checker(fast=True, lang=lang).check(text), rule)
        doubt = finding.why.doubt if finding.why is not None else None
        assert doubt is not None and finding.explanation.endswith(doubt.account(lang))
        assert finding.to_dict()["doubt"] == {"probability": round(doubt.probability, 3), "words": list(doubt.words)}
        words = Words(text)
        edges = {*words.starts, len(text)}
        for word in doubt.words:
            at = text.index(word)
            assert len(word) >= 2 and word not in finding.excerpt and {at, at + len(word)} <= edges
    kept = _of(Checker(fast=True, lang=lang).check(INSULT), "ABU001")
    assert kept.why is not None and kept.why.doubt is None and "doubt" not in kept.to_dict()


@pytest.mark.parametrize(("lang", "says"), [("zh", "由禁止降为警告"), ("en", "moved from block to warn")])
def test_a_block_the_verifier_is_not_sure_of_is_shown_at_warn(lang: str, says: str) -> None:
    """Between the block cut and the lowering threshold: a warning, not advice, its doubt on the explanation in
    the user's language and in the JSON record with the severity it was moved from."""
    unverified = Checker(fast=True, lang=lang)
    unverified.verifier = None
    assert _of(unverified.check(GAME_GUIDE), "SEC002").severity == "block"
    moved = _of(Checker(fast=True, lang=lang).check(GAME_GUIDE), "SEC002")
    doubt = moved.why.doubt if moved.why is not None else None
    assert moved.severity == "warn" and doubt is not None and doubt.was == "block"
    verifier = shipped()
    assert verifier is not None
    assert verifier.fate(doubt.probability, "secrecy", "block") == WARNED
    assert verifier.fate(doubt.probability, "secrecy", "warn") == KEPT
    assert says in moved.explanation and moved.explanation.endswith(doubt.account(lang))
    record = moved.to_dict()
    assert record["severity"] == "warn"
    assert record["doubt"] == {"probability": round(doubt.probability, 3), "words": list(doubt.words),
                               "from": "block", "to": "warn"}


def test_a_hits_fate_lowers_first_and_moves_only_blocks() -> None:
    """Lowered at the lowering threshold whatever the severity; a block between the block cut and that threshold
    is shown at warn; a block cut above the threshold never warns (the block is lowered or stays)."""
    assert fate(0.5, True, 0.5, 0.3) == fate(0.5, False, 0.5, 0.3) == LOWERED
    assert fate(0.4, True, 0.5, 0.3) == WARNED
    assert fate(0.4, False, 0.5, 0.3) == KEPT
    assert fate(0.2, True, 0.5, 0.3) == KEPT
    assert fate(0.45, True, 0.4, 0.6) == LOWERED
    assert fate(0.35, True, 0.4, 0.6) == KEPT


def test_the_block_cut_moves_blocks_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """A block cut of 0 shows every readable block at warn, a cut of 1 none; a hit its rule reports at warn is
    never touched by it."""
    monkeypatch.setattr(verifier_module, "BLOCK_CUTS", {"": 0.0})
    checker = Checker(fast=True)
    moved = _of(checker.check(CARD_GAME), "ILL002")
    assert moved.severity == "warn" and moved.to_dict()["doubt"]["from"] == "block"
    kept = _of(checker.check(INSULT), "ABU001")
    assert kept.severity == "warn" and "doubt" not in kept.to_dict()
    monkeypatch.setattr(verifier_module, "BLOCK_CUTS", {"": 1.0, "secrecy": 1.0})
    assert _of(Checker(fast=True).check(GAME_GUIDE), "SEC002").severity == "block"


@dataclass
class _Standing:
    rule: object
    kind: str
    hit: Hit
    severity: str


def test_a_rule_that_says_verify_false_is_never_lowered() -> None:
    """The same hit in the same words: doubted for a rule the verifier may read, never for one that says no."""
    verifier = shipped()
    assert verifier is not None
    rulebook = default_rulebook()
    strict = [rule for rule in rulebook.rules_for("message") if not rule.verify]
    assert {"PRV001", "SEC001"} <= {rule.id for rule in strict}
    norm = normalize(OWN_CHECK_UP)
    start = norm.text.index("体检报告")
    hit = Hit(start, start + 4, 1.0, "test")
    message = Message(text=OWN_CHECK_UP)
    doc = Doc(message, norm, room_kind(message.channel, None, None, {}), {}, {})
    for rule in strict:
        readable_copy = rule.model_copy(update={"verify": True})
        doubted = verifier.lower([doc], [[_Standing(readable_copy, rule.detector["kind"], hit, "warn")]])
        if doubted:  # the verifier would doubt this hit were the rule readable: the flag is what keeps it
            one = _Standing(rule, rule.detector["kind"], hit, rule.severity)
            assert verifier.lower([doc], [[one]]) == {}
            return
    pytest.fail("no strict rule's hit would be doubted here: the test no longer tells the flag's effect")


def test_the_weights_load_from_the_cache_half_precision_and_mapped(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.ENV, str(tmp_path))
    first = Model(MODELS / f"{MODEL}.npz")
    assert list(tmp_path.glob("model-*.pickle"))  # compiled once into the cache
    again = Model(MODELS / f"{MODEL}.npz")
    assert again.weights.dtype.name == "float16" and not again.weights.flags.writeable  # mapped, not copied
    assert (again.weights == first.weights).all() and 0 < again.cut < 1
    verifier = Verifier(lambda: again)
    assert verifier.threshold("etiquette") == again.cut  # a category without a threshold of its own
    assert again.cuts and all(verifier.threshold(category) == cut for category, cut in again.cuts.items())


def test_a_category_with_a_stricter_threshold_of_its_own_keeps_a_hit_the_others_would_lower() -> None:
    """The shipped weights, read with the banter's category given a threshold of its own above its doubt: the
    same hit stands; given one below the shared threshold, it is lowered however sure the shared one is."""
    model = Model(MODELS / f"{MODEL}.npz")
    lowered = _of(Checker(fast=True).check(BANTER), "ABU001")
    assert lowered.severity == "info"
    for cuts, cut, severity in (({"abuse": 0.99}, 0.0, "warn"), ({"abuse": 0.0}, 0.99, "info")):
        model.cuts, model.cut = cuts, cut
        checker = Checker(fast=True)
        checker.verifier = Verifier(lambda: model)
        assert _of(checker.check(BANTER), "ABU001").severity == severity
