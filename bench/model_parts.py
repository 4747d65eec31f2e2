"""What a warm draft's and a batch's model steps cost one by one, in CPU time, for the tree on the path.

    python bench/model_parts.py                                     # this tree
    PYTHONPATH=/tmp/base/src python bench/model_parts.py            # an older tree (git archive ... | tar -x)

Run the two alternately, several times: the machine is shared. Each figure is the median of 5 repeats.
Steps: featurising (``ngrams.text_features``) and each model's ``score_batch`` on the 200-character draft of
``scan_speed.latency``, on the verifier's windows of that draft's hits, and on 1,000 synthetic texts (seed 0,
30 % problems); and the engine's term pass (``Checker._find_terms``) per message of 5,000 of them.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

from qingfeng.detectors.ngrams import text_features
from qingfeng.detectors.scoring import Model, load_model
from qingfeng.pipeline.engine import Checker
from qingfeng.samples.synth import Generator
from qingfeng.text.normalize import normalize_many
from scan_speed import DRAFT  # bench/, beside this script

SETTING = "\ue100\ue110\ue120\ue130"  # a group chat's text message, the setting the models read


def _cost(step: Callable[[], Any], repeat: int) -> float:
    """Median CPU seconds of one call."""
    for _ in range(max(3, repeat // 20)):
        step()
    runs = []
    for _ in range(5):
        started = time.process_time()
        for _ in range(repeat):
            step()
        runs.append((time.process_time() - started) / repeat)
    return statistics.median(runs)


def _verifier_windows(checker: Checker) -> tuple[list[str], list[str]]:
    """The texts and markers the verifier scores for the draft's hits."""
    verifier = checker.verifier
    assert verifier is not None
    model = verifier.model
    seen: list[tuple[list[str], list[str]]] = []
    original = model.score_batch

    def spy(texts: Any, settings: Any = None, features: Any = None) -> Any:
        seen.append((list(texts), list(settings)))
        return original(texts, settings, features)

    model.score_batch = spy  # type: ignore[method-assign]
    try:
        checker.check(DRAFT, channel="group", room_name="县财政局办公室工作群")
    finally:
        del model.score_batch
    return seen[-1]


def main() -> int:
    messages, abuse, verifier = load_model("messages"), load_model("abuse"), load_model("verifier")
    records = Generator(seed=0, problem_share=0.3).records(5000)
    texts = [norm.text for norm in normalize_many([record["text"] for record in records])]
    batch = texts[:1000]
    checker = Checker()
    windows, markers = _verifier_windows(checker)
    draft, batch_features = text_features([DRAFT], messages.spec), text_features(batch, messages.spec)

    def scored(model: Model, some: list[str], features: Any) -> Callable[[], Any]:
        settings = [SETTING] * len(some) if model.uses_setting else None
        return lambda: model.score_batch(some, settings, features)

    rows = [
        ("featurising the draft", _cost(lambda: text_features([DRAFT], messages.spec), 1000), "µs"),
        ("the messages model on it", _cost(scored(messages, [DRAFT], draft), 1000), "µs"),
        ("the abuse model on it", _cost(scored(abuse, [DRAFT], draft), 1000), "µs"),
        (f"the verifier on its {len(windows)} windows (featurising included)",
         _cost(lambda: verifier.score_batch(windows, markers), 1000), "µs"),
        ("featurising 1,000 synthetic texts", _cost(lambda: text_features(batch, messages.spec), 20), "ms"),
        ("the messages model on them", _cost(scored(messages, batch, batch_features), 20), "ms"),
        ("the abuse model on them", _cost(scored(abuse, batch, batch_features), 20), "ms"),
        ("term pass, per message", _cost(lambda: checker._find_terms(texts), 3) / len(texts), "µs"),
    ]
    print(f"{'step':58} {'CPU':>10}")
    for name, seconds, unit in rows:
        print(f"{name:58} {seconds * (1e6 if unit == 'µs' else 1e3):7.1f} {unit}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
