"""The synthetic ledger's injected cases are all found, and nothing else: its look-alikes stay silent."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from qingfeng.ledger.config import Thresholds
from qingfeng.ledger.screen import screen_file
from qingfeng.ledger.synthetic import expected_of, generate


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_every_injected_case_is_found_and_nothing_else(tmp_path: Path, fmt: str) -> None:
    ledger = generate(tmp_path, transfers=60_000, seed=3, fmt=fmt)  # type: ignore[arg-type]
    assert ledger.rows == 60_000
    result = screen_file(ledger.transfers, people=ledger.people, relations=ledger.relations,
                         elections=ledger.elections, thresholds=Thresholds(as_of=ledger.as_of), threads=2)
    assert not result.problems
    found = Counter(expected_of(finding) for finding in result.findings)
    assert set(found) == set(ledger.expected)
    assert max(found.values()) == 1  # one finding per case and rule
    assert {item.rule for item in ledger.expected} == {f"LED00{n}" for n in (1, 2, 3, 4, 5, 6, 8)} | {"ILL010"}


def test_the_same_seed_gives_the_same_ledger(tmp_path: Path) -> None:
    first = generate(tmp_path / "a", transfers=2_000, seed=5)
    second = generate(tmp_path / "b", transfers=2_000, seed=5)
    assert first.transfers.read_bytes() == second.transfers.read_bytes()
    assert first.people.read_bytes() == second.people.read_bytes() and first.expected == second.expected
