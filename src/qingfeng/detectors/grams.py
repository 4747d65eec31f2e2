"""What the models' n-gram features are, without numpy: the hashing, what counts as junk, the setting
features, and a model's arrays as the cache keeps them. ``ngrams`` featurises a batch with numpy from these;
``onetext`` scores a single short draft in plain Python from the same definitions and the same mapped arrays,
so that a pre-send check need not import numpy (a sixth of its start-up)."""

from __future__ import annotations

import pickle
import re
import struct
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from qingfeng.core.cache import cached

MODELS = Path(__file__).parent / "models"  # the shipped models, one .npz file each

# Breaks in the text: no n-gram spans them, and they count for nothing.
JUNK = re.compile(r"[0-9]{5,}|[哈呵嘿嘻]{2,}|h{3,}|(.)\1{3,}|\[[^\[\]\s]{1,6}\]|[\ufffc\ue000-\ue0ff]+", re.S)
MIN_MEANINGFUL = 2  # Chinese characters or letters a text needs, junk left out, to be scored at all
MULTIPLIER = 0x9E3779B97F4A7C15  # n-gram hashing: h = (h ^ token) * MULTIPLIER, 64-bit, wrapping
MASK = 0xFFFF_FFFF_FFFF_FFFF
PINYIN_TOKEN = 1 << 21  # above every code point: a syllable never equals a character
HAN_LOW, HAN_HIGH = 0x3400, 0x9FFF
# Which setting markers are read alone and which together (positions in the marker string).
SETTING_GROUPS = ((0,), (1,), (2,), (3,), (0, 1), (1, 2), (2, 3), (1, 3))


@lru_cache(maxsize=4096)
def setting_buckets(setting: str, bits: int) -> tuple[int, ...]:
    """One setting's bucket per group that fits its markers, in the order of ``SETTING_GROUPS``."""
    buckets = []
    for number, group in enumerate(SETTING_GROUPS):
        if max(group) >= len(setting):
            continue
        hashed = 1000 + number
        for column in group:  # the array hash's arithmetic: 64-bit, wrapping
            hashed = ((hashed ^ ord(setting[column])) * MULTIPLIER) & MASK
        buckets.append(hashed >> (64 - bits))
    return tuple(buckets)


@dataclass(frozen=True)
class Array:
    """An array as the cache keeps it: its element type (a ``struct`` letter, which numpy reads as a dtype too),
    its shape and its bytes, stored out of band and mapped from the file when read."""

    format: str
    shape: tuple[int, ...]
    data: Any  # bytes-like

    def __reduce_ex__(self, protocol: Any) -> tuple[Any, ...]:
        return Array, (self.format, self.shape, pickle.PickleBuffer(self.data))

    def flat(self) -> memoryview:
        """Its elements in order, as Python numbers (not for half precision, which memoryview cannot read:
        ``row``)."""
        return memoryview(self.data).cast("B").cast(self.format)

    def row(self) -> Callable[[int], tuple[float, ...]]:
        """Row n of a two-dimensional array, as Python floats (a half-precision number widens exactly)."""
        reader, stride = struct.Struct(f"<{self.shape[1]}{self.format}"), memoryview(self.data).cast("B")
        size = reader.size
        return lambda n: reader.unpack_from(stride, n * size)


def model_data(path: Path) -> dict[str, Any]:
    """A model file's contents laid out to score with (``_laid_out``): arrays as ``Array``, numbers as Python
    numbers, the labels as strings; kept in the user's cache keyed by the file's size and modification time."""
    stat = path.stat()
    return cached("model", f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}", lambda: _laid_out(path))


# numpy type → the struct letter of its elements (Array.format)
_FORMATS = {"float16": "e", "float64": "d", "int32": "i", "int64": "q"}


def _laid_out(path: Path) -> dict[str, Any]:
    """Per bucket its idf and its row of weights. Only the buckets training reached are stored; the others
    share the largest idf and a last row of zero weights. The weights stay half-precision (a quarter of the
    memory): each row read is widened to float64 exactly, so every product is the one a float64 table gave.
    Decompressing and expanding them is most of what loading a model costs: the cache keeps the result."""
    import numpy as np  # only when the cache holds none: a warm check reads the mapped arrays without it

    with np.load(path, allow_pickle=False) as stored:
        data = {key: stored[key] for key in stored.files}
    size, rows = 1 << int(data["bits"]), data["rows"]
    idf = np.full(size, float(data["unseen_idf"]))
    idf[rows] = data["idf"]
    row = np.full(size, len(rows), dtype=np.int32)  # bucket → its row of weights
    row[rows] = np.arange(len(rows), dtype=np.int32)
    weights = np.vstack((data["weights"], np.zeros((1, len(data["labels"])), dtype=data["weights"].dtype)))
    laid: dict[str, Any] = {"idf": idf, "row": row, "weights": weights,
                            "syllables": data["syllables"].astype(np.int64),
                            "intercepts": data["intercepts"].astype(np.float64)}
    arrays = {key: Array(_FORMATS[value.dtype.name], value.shape, np.ascontiguousarray(value))
              for key, value in laid.items()}
    return {**arrays, "labels": [str(label) for label in data["labels"]], "bits": int(data["bits"]),
            "char": (int(data["char"][0]), int(data["char"][1])),
            "pinyin": (int(data["pinyin"][0]), int(data["pinyin"][1])),
            "uses_setting": bool(data["uses_setting"]),
            # a probability threshold chosen when it was trained, for a model read by one stage (the verifier)
            "cut": float(data["cut"]) if "cut" in data else 0.5,
            # thresholds of their own for the hits of some categories (the verifier's)
            "cuts": {str(category): float(cut) for category, cut in
                     zip(data.get("cut_categories", ()), data.get("cut_values", ()), strict=True)}}
