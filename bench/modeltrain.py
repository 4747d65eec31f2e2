"""Shared by the training scripts: the pinyin table, features exactly as the classifier detector computes
them (``qingfeng.detectors.ngrams``), disguise augmentation, one logistic regression per label, and the
.npz file the detector reads. Needs the `train` extra (scikit-learn, scipy, pypinyin), which the package
itself does not."""

from __future__ import annotations

import argparse
import random
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from qingfeng.core.models import Message
from qingfeng.detectors.classifier import setting_prefix
from qingfeng.detectors.ngrams import HAN_HIGH, HAN_LOW, FeatureSpec, featurise
from qingfeng.detectors.scoring import MODELS, Model, occurrence_values
from qingfeng.text.normalize import normalize_many
from qingfeng.text.rooms import room_kind

CHUNK = 4000


def syllable_table() -> np.ndarray:
    """Code point → toneless pinyin syllable number + 1 (0: none), from pypinyin's most common reading."""
    from pypinyin import Style, lazy_pinyin

    chars = [chr(code) for code in range(HAN_LOW, HAN_HIGH + 1)]
    spoken = lazy_pinyin(chars, style=Style.NORMAL, errors=lambda text: [""] * len(text))
    numbers = {syllable: number + 1 for number, syllable in enumerate(sorted(set(spoken) - {""}))}
    table = np.zeros(HAN_HIGH + 1, dtype=np.uint16)
    table[HAN_LOW:] = [numbers.get(syllable, 0) for syllable in spoken]
    return table


def arguments(doc: str | None, c: float) -> argparse.ArgumentParser:
    """The options every training script takes: the features, the regularisation, --dry-run."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bits", type=int, default=18, help="2**bits hash buckets")
    parser.add_argument("--char", type=int, nargs=2, default=(1, 3), help="character n-gram lengths")
    parser.add_argument("--pinyin", type=int, nargs=2, default=(1, 2), help="pinyin syllable n-gram lengths")
    parser.add_argument("--c", type=float, default=c, help="inverse regularisation strength")
    parser.add_argument("--dry-run", action="store_true", help="measure only; write no model")
    parser.add_argument("--also", nargs="*", default=(), metavar="SET",
                        help="more of our sets to train on, as named in bench/data (train/t9.jsonl…)")
    parser.add_argument("--hold-out", nargs="*", default=(), metavar="SET",
                        help="our sets (as named in bench/data: train/t13.jsonl…) left out of training and measured "
                             "as writers the model never saw, against the shipped model")
    parser.add_argument("--out", type=Path, help="write the model here rather than into the package")
    return parser


def make_spec(args: argparse.Namespace) -> FeatureSpec:
    return FeatureSpec(bits=args.bits, char=tuple(args.char), pinyin=tuple(args.pinyin),
                       syllables=syllable_table().astype(np.int64))


def normalised(texts: Sequence[str]) -> list[str]:
    return [norm.text for norm in normalize_many(list(texts))]


def settings_of(records: Sequence[dict]) -> list[str]:
    """Each message's setting markers, as the classifier detector computes them."""
    messages = [Message.model_validate(record) for record in records]
    return [setting_prefix(m, room_kind(m.channel, m.room, m.room_name, {})) for m in messages]


def rule_thresholds(model: str) -> dict[str, tuple[str, float, int]]:
    """The rules that read ``model`` with no companion word required: rule → (label, threshold, min_chars)."""
    from qingfeng.rulebook.loader import load_rulebook

    return {rule.id: (d["label"], d["threshold"], d.get("min_chars", 4)) for rule in load_rulebook().rules
            if (d := rule.detector).get("kind") == "classifier" and d.get("model") == model and not d.get("all")}


def writers_table(records: Sequence[dict], models: dict[str, Path], model: str, labels: Sequence[str]) -> None:
    """The model alone on writers it never saw, per model file: the share of in-scope clean messages that a rule
    reading it flags at its threshold, and per category the share of positives its own rule flags / how many
    clean messages that rule flags."""
    from eval_messages import is_out_of_scope  # bench/, beside this script

    rules = rule_thresholds(model)
    texts, settings = normalised([r["text"] for r in records]), settings_of(records)
    clean = np.array([not r.get("labels") and not is_out_of_scope(r) for r in records])
    print(f"\n{model} model alone on {len(records)} messages of writers it never saw ({clean.sum()} in-scope clean), "
          f"at the rules' thresholds ({', '.join(f'{rule} {t:g}' for rule, (_, t, _) in rules.items())})")
    print(f"{'model':28} {'clean flagged':>14}" + "".join(f"{label[:9]:>11}" for label in labels))
    for name, path in models.items():
        scored = Model(path).score_batch(texts, settings)
        said = {rule: np.isin(np.arange(len(records)), scored.over(label, threshold, chars))
                for rule, (label, threshold, chars) in rules.items()}
        flagged = np.any(list(said.values()), axis=0) & clean
        cells = []
        for label in labels:
            truth = np.array([label in (r.get("labels") or []) for r in records])
            hit = np.any([said[rule] for rule, (own, _, _) in rules.items() if own == label], axis=0)
            cells.append(f"{hit[truth].mean():6.3f}/{(hit & clean).sum():<4d}")
        print(f"{name:28} {flagged.sum():5d} ({flagged.sum() / clean.sum():5.1%})" + "".join(cells))


def document_frequencies(texts: Sequence[str], spec: FeatureSpec, settings: Sequence[str] | None = None):
    """Per bucket, in how many texts it occurs; and how many texts there are."""
    frequency = np.zeros(1 << spec.bits, dtype=np.int64)
    for low in range(0, len(texts), CHUNK):
        features = featurise(texts[low : low + CHUNK], spec, settings[low : low + CHUNK] if settings else None)
        pairs = np.unique(features.doc * (1 << spec.bits) + features.bucket)
        frequency += np.bincount(pairs % (1 << spec.bits), minlength=1 << spec.bits)
    return frequency, len(texts)


def idf_of(frequency: np.ndarray, count: int) -> np.ndarray:
    return np.log((1 + count) / (1 + frequency)) + 1.0


def matrix(texts: Sequence[str], spec: FeatureSpec, idf: np.ndarray, settings: Sequence[str] | None = None):
    """The sparse feature matrix the detector's arithmetic amounts to (texts × buckets)."""
    from scipy.sparse import csr_matrix, vstack

    parts = []
    for low in range(0, len(texts), CHUNK):
        chunk = texts[low : low + CHUNK]
        features = featurise(chunk, spec, settings[low : low + CHUNK] if settings else None)
        values = occurrence_values(features, idf)
        parts.append(csr_matrix((values, (features.doc, features.bucket)), shape=(len(chunk), 1 << spec.bits)))
    return vstack(parts).tocsr() if parts else csr_matrix((0, 1 << spec.bits))


def fit(features, targets: Sequence[int], weights: Sequence[float] | None = None, c: float = 4.0):
    from sklearn.linear_model import LogisticRegression

    y = np.asarray(targets)
    w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=np.float64)
    # balance the classes by their total weight
    positive = w[y == 1].sum()
    negative = w[y == 0].sum()
    w = np.where(y == 1, w * (positive + negative) / (2 * max(positive, 1e-9)),
                 w * (positive + negative) / (2 * max(negative, 1e-9)))
    return LogisticRegression(C=c, max_iter=2000, solver="liblinear").fit(features, y, sample_weight=w)


def save_model(name: str, spec: FeatureSpec, idf: np.ndarray, models: dict, uses_setting: bool, note: str,
               out: Path | None = None, cut: float | None = None, cuts: dict[str, float] | None = None) -> Path:
    """Only the buckets the training texts reached (those with a weight) are stored: the others all share the
    idf of an n-gram never seen and weigh nothing. Weights are kept in half precision, plenty for a sum of a
    few hundred terms. ``cut``: a probability threshold chosen at training, stored with the model; ``cuts``:
    thresholds of their own for some categories (of the hits a model reads), stored beside it."""
    labels = list(models)
    dense = np.stack([models[label].coef_[0] for label in labels], axis=1)
    reached = np.abs(dense).max(axis=1) > 0
    rows = np.flatnonzero(reached)
    unseen = idf[~reached].max() if not reached.all() else idf.max()
    path = out or MODELS / f"{name}.npz"
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        path, labels=np.array(labels), bits=np.array(spec.bits), char=np.array(spec.char),
        pinyin=np.array(spec.pinyin), syllables=spec.syllables.astype(np.uint16), uses_setting=np.array(uses_setting),
        unseen_idf=np.array(unseen), idf=idf[rows].astype(np.float32), rows=rows.astype(np.int32),
        weights=dense[rows].astype(np.float16),
        intercepts=np.array([models[label].intercept_[0] for label in labels], dtype=np.float32),
        note=np.array(note), **({} if cut is None else {"cut": np.array(cut)}),
        **({"cut_categories": np.array(list(cuts)), "cut_values": np.array(list(cuts.values()))} if cuts else {}),
    )
    return path


class Disguiser:
    """The disguises real evaders use, applied to raw text so that the normaliser sees them as it would:
    homophone swaps (from the pinyin table, among characters the corpus uses), pinyin initials or whole
    pinyin for a word, symbols or spaces inserted, traditional characters, full-width letters and digits.
    (Split characters, 口口 for 品, need a decomposition table we do not have.)"""

    def __init__(self, corpus: Sequence[str], seed: int = 0) -> None:
        from collections import Counter

        from pypinyin import Style, lazy_pinyin

        self.random = random.Random(seed)
        self.lazy_pinyin, self.style = lazy_pinyin, Style
        common = [char for char, count in Counter("".join(corpus)).most_common() if count >= 3 and _han(char)]
        self.homophones: dict[str, list[str]] = {}
        by_sound: dict[str, list[str]] = {}
        for char, sound in zip(common, lazy_pinyin(common, style=Style.NORMAL), strict=True):
            by_sound.setdefault(sound, []).append(char)
        for group in by_sound.values():
            for char in group:
                self.homophones[char] = [other for other in group if other != char][:8]
        import opencc

        self.traditional = opencc.OpenCC("s2t.json")

    def __call__(self, text: str) -> str:
        transforms = [self.homophone, self.initials, self.spoken, self.symbols, self.traditional_form, self.wide]
        for transform in self.random.sample(transforms, self.random.choice((1, 2))):
            text = transform(text)
        return text

    def _word(self, text: str) -> tuple[int, int] | None:
        starts = [i for i in range(len(text) - 1) if _han(text[i]) and _han(text[i + 1])]
        if not starts:
            return None
        start = self.random.choice(starts)
        return start, start + 2

    def homophone(self, text: str) -> str:
        chars = list(text)
        for i, char in enumerate(chars):
            if self.homophones.get(char) and self.random.random() < 0.3:
                chars[i] = self.random.choice(self.homophones[char])
        return "".join(chars)

    def initials(self, text: str) -> str:
        if (word := self._word(text)) is None:
            return text
        letters = "".join(self.lazy_pinyin(text[word[0] : word[1]], style=self.style.FIRST_LETTER))
        return text[: word[0]] + letters + text[word[1] :]

    def spoken(self, text: str) -> str:
        if (word := self._word(text)) is None:
            return text
        return text[: word[0]] + "".join(self.lazy_pinyin(text[word[0] : word[1]])) + text[word[1] :]

    def symbols(self, text: str) -> str:
        filler = self.random.choice([" ", "*", "-", ".", "/", "、"])
        return "".join(char + (filler if _han(char) and self.random.random() < 0.4 else "") for char in text)

    def traditional_form(self, text: str) -> str:
        return self.traditional.convert(text)

    def wide(self, text: str) -> str:
        return "".join(chr(ord(char) + 0xFEE0) if "!" <= char <= "~" else char for char in text)


def _han(char: str) -> bool:
    return HAN_LOW <= ord(char) <= HAN_HIGH
