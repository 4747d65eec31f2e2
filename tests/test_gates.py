"""Gates searched with Hyperscan pass exactly the texts that ``re`` passes."""

from __future__ import annotations

import os
import re

import pytest

from qingfeng import Checker
from qingfeng.pipeline.gates import Gates, hyperscan
from qingfeng.samples.synth import Generator
from qingfeng.text.normalize import normalize_many

if hyperscan is None:
    if os.environ.get("CI") == "true":
        pytest.fail("hyperscan is not installed (pip install 'qingfeng[fast]'), and CI must compare both paths")
    pytest.skip("hyperscan is not installed (pip install 'qingfeng[fast]'): nothing to compare re with",
                allow_module_level=True)

EDGES = ["", "a.b", "A.b", "1234567", "123456", "电话 138 1234 5678", "你这个垃圾", "你个蠢", "粤府〔2024〕12号",
         "县财政局文件", "x.y\x00", "網址 www.example.com", "🎉1234567🎉", "你\n垃圾", "ab.cd.ef1234567"]


def _texts() -> list[str]:
    generator = Generator(seed=3, problem_share=0.5)
    originals = [record["text"] for record in generator.records(3000)] + EDGES
    return [norm.text for norm in normalize_many(originals)]


def test_the_rulebook_gates_pass_the_same_texts_either_way(checker: Checker) -> None:
    patterns = checker._gates
    fast = Gates(patterns)
    assert fast._database is not None, "every gate of the rulebook should compile in Hyperscan"
    texts = _texts()
    for size in (1, 7, 1000):  # batches of several sizes: a match must land in its own text
        for start in range(0, len(texts), size):
            batch = texts[start : start + size]
            assert fast.passed(batch) == Gates(patterns, use_hyperscan=False).passed(batch)


def test_a_gate_hyperscan_might_read_differently_stays_with_re() -> None:
    patterns = [re.compile(r"\d{3}"), re.compile("[0-9]{3}"), re.compile("(?i)abc")]
    gates = Gates(patterns)
    assert gates._by_re == [0, 2]
    texts = ["١٢٣", "123", "ABC", "x"]  # Arabic-Indic digits are \d to Python
    assert gates.passed(texts) == [1, 3, 4, 0]
