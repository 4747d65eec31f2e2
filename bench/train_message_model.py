"""Train the message classifier shipped in the package (the *090 rules): one logistic regression per
category over hashed character and pinyin n-grams of the normalised text, with the message's setting
(channel, kind of room, type, amount) as extra features.

    pip install -e '.[train]'
    python bench/train_message_model.py              # cross-validate, measure false alarms, write messages.npz
    python bench/train_message_model.py --dry-run    # measure only
    python bench/train_message_model.py --dry-run --hold-out train/t13.jsonl train/t14.jsonl train/t15.jsonl \
        holdout12.jsonl                              # also: those writers left out, scored beside the shipped model

Training data (``../shared/data/README.md`` decides what may train a shipped model):
- labelled messages we wrote for this project (``TRAINED_ON``: bench/data/train and holdout sets; never dev), with one
  disguised copy of every positive (homophones, pinyin, symbols… see modeltrain.Disguiser);
- real ordinary text as negatives: COLDataset (Apache-2.0) and SWSR (MIT) comments, the parts that the abuse
  model trains on (its held-out parts stay unseen). Their offensive comments are negatives for every category
  but abuse and vulgar, for which they are left out. Each real comment gets the setting of one of our
  messages at random, so that the setting features learn nothing from where the real text came from.
sms_spam and fraud_texts are "evaluate only": they are read here only to report recall and false alarms at
each threshold, from which the rules' thresholds are chosen; nothing of them is trained on.

Printed: per category and threshold, out-of-fold precision / recall / clean messages flagged on our messages
(5 folds, each holding whole writers: a set is one writer's), and the share
of real ordinary messages that would be flagged (sms_spam ham, fraud_texts ham, COLD and SWSR held-out
non-offensive); for spam also the recall on sms_spam's adverts.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np

from eval_messages import is_out_of_scope
from modeltrain import (
    Disguiser,
    arguments,
    document_frequencies,
    fit,
    idf_of,
    make_spec,
    matrix,
    normalised,
    save_model,
    settings_of,
    writers_table,
)
from qingfeng.core.models import Message
from qingfeng.detectors.classifier import setting_prefix
from qingfeng.detectors.scoring import MODELS
from train_abuse_model import TRAINED_ON, ham_samples, our_messages, our_sets, read, splits

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "public"
LABELS = ("secrecy", "privacy", "gifts", "fraud", "spam", "chain", "rumor", "vulgar", "illegal", "abuse")
LEFT_OUT_OF_OFFENSIVE = ("abuse", "vulgar")
THRESHOLDS = (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)
FOLDS = 5


def build(ours: list[dict], real: list[dict], args, seed: int = 0):
    """Texts, settings, per-label targets and weights (None: left out of that label)."""
    rng = np.random.default_rng(seed)
    own_settings = settings_of(ours)
    disguise = Disguiser([r["text"] for r in ours], seed)
    positives = [r for r in ours if r.get("labels")]
    raw = [r["text"] for r in ours] + [disguise(r["text"]) for r in positives] + [r["text"] for r in real]
    borrowed = [own_settings[i] for i in rng.integers(len(ours), size=len(real))]
    settings = own_settings + settings_of(positives) + borrowed
    records = ours + positives + real
    weights = {}
    targets = {}
    for label in LABELS:
        targets[label] = np.array([int(label in (r.get("labels") or [])) for r in records])
        weight = np.ones(len(records))
        weight[len(ours) + len(positives):] = args.real_weight
        if label in LEFT_OUT_OF_OFFENSIVE:
            offensive = np.array([False] * (len(ours) + len(positives)) + [bool(r.get("labels")) for r in real])
            weight[offensive] = 0.0
        # the real comments carry no label of ours: they are negatives here
        targets[label][len(ours) + len(positives):] = 0
        weights[label] = weight
    return normalised(raw), settings, targets, weights


def train(texts, settings, targets, weights, spec, c):
    frequency, count = document_frequencies(texts, spec, settings)
    idf = idf_of(frequency, count)
    features = matrix(texts, spec, idf, settings)
    models = {}
    for label in LABELS:
        keep = weights[label] > 0
        models[label] = fit(features[keep], targets[label][keep], weights[label][keep], c=c)
    return idf, models


def probabilities(models, idf, spec, texts, settings) -> dict[str, np.ndarray]:
    features = matrix(normalised(texts), spec, idf, settings)
    return {label: model.predict_proba(features)[:, 1] for label, model in models.items()}


def main() -> int:
    parser = arguments(__doc__, c=4.0)
    parser.add_argument("--real-weight", type=float, default=0.3, help="weight of each real comment (negatives)")
    parser.add_argument("--no-folds", action="store_true", help="skip the cross-validation")
    args = parser.parse_args()
    spec = make_spec(args)
    sets = our_sets((*TRAINED_ON, *args.also), args.hold_out)
    ours = [record for records in sets.values() for record in records]
    public_train, public_held = splits(hold_out=args.hold_out)
    real = [r for r in public_train if r["id"].startswith(("cold", "swsr"))]
    print(f"training on {len(ours)} of our messages ({len(sets)} sets) and {len(real)} real comments")

    truth = {label: np.array([label in (r.get("labels") or []) for r in ours]) for label in LABELS}
    if not args.no_folds:
        # whole writers to a fold, so that a fold's messages are scored by a model that never saw their writer
        fold = np.concatenate([np.full(len(records), number % FOLDS) for number, records in enumerate(sets.values())])
        out_of_fold = {label: np.zeros(len(ours)) for label in LABELS}
        for number in range(FOLDS):
            inside = [r for r, f in zip(ours, fold, strict=True) if f != number]
            outside = [r for r, f in zip(ours, fold, strict=True) if f == number]
            idf, models = train(*build(inside, real, args, number), spec, args.c)
            scored = probabilities(models, idf, spec, [r["text"] for r in outside], settings_of(outside))
            for label in LABELS:
                out_of_fold[label][fold == number] = scored[label]
        clean = np.array([not r.get("labels") and not is_out_of_scope(r) for r in ours])
        print(f"\nout-of-fold precision / recall / in-scope clean messages flagged, on our messages ({FOLDS} folds, "
              f"each of whole writers; {clean.sum()} clean)")
        print(f"{'category':10}" + "".join(f"{t:>15}" for t in THRESHOLDS))
        for label in LABELS:
            cells = []
            for threshold in THRESHOLDS:
                said = out_of_fold[label] >= threshold
                precision = truth[label][said].mean() if said.any() else float("nan")
                cells.append(f"{precision:4.2f}/{said[truth[label]].mean():4.2f}/{(said & clean).sum()}")
            print(f"{label:10}" + "".join(f"{c:>15}" for c in cells))

    idf, models = train(*build(ours, real, args), spec, args.c)
    hams = ham_samples()
    hams["COLD+SWSR held-out ok"] = [r["text"] for rs in public_held.values() for r in rs if not r.get("labels")]
    print("\nshare of real ordinary messages flagged, by threshold")
    for name, texts in hams.items():
        scored = probabilities(models, idf, spec, texts, [setting_prefix(Message(text="x"), "none")] * len(texts))
        print(f"\n{name} ({len(texts)})")
        for label in LABELS:
            print(f"  {label:10}" + "".join(f"{(scored[label] >= t).mean():10.4f}" for t in THRESHOLDS))
    adverts = [r["text"] for r in read(SHARED / "sms_spam.dev.jsonl") if r.get("labels")]
    scored = probabilities(models, idf, spec, adverts, [setting_prefix(Message(text="x"), "none")] * len(adverts))
    print(f"\nsms_spam adverts ({len(adverts)}): spam recall" + "".join(
        f"{(scored['spam'] >= t).mean():10.4f}" for t in THRESHOLDS))
    names = ", ".join(Path(name).name for name in sets)
    note = f"qingfeng's own labelled messages ({names}) and, as negatives, " \
           "COLDataset (Apache-2.0) and SWSR (MIT) comments; hashed character and pinyin n-grams"
    if args.hold_out:
        with tempfile.TemporaryDirectory() as folder:
            trained = save_model("messages", spec, idf, models, True, note, Path(folder) / "messages.npz")
            writers_table(our_messages(args.hold_out), {"shipped messages.npz": MODELS / "messages.npz",
                                                        "trained without them": trained}, "messages", LABELS)
    if not args.dry_run:
        path = save_model("messages", spec, idf, models, True, note, args.out)
        print(f"\nwrote {path} ({path.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
