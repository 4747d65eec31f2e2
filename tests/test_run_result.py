"""Scan, group audit and ledger screening answer with one result type and one JSON document shape."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from qingfeng.runtime.result import SCHEMA_VERSION

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
RUNS = {
    "scan": ["scan", "messages.jsonl"],
    "ledger": ["ledger", "transfers.csv", "--people", "people.csv", "--relations", "relations.csv",
               "--elections", "elections.csv", "--as-of", "2024-07-01"],
    "groups": ["groups", "audit", "--groups", "groups.csv", "--members", "members.csv", "--people", "people.csv",
               "--archive", "archive.jsonl", "--as-of", "2024-05-20"],
}


@pytest.mark.parametrize("folder", sorted(RUNS))
def test_every_command_writes_the_same_versioned_document(folder: str, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    subprocess.run([sys.executable, "-m", "qingfeng", *RUNS[folder], "--format", "json", "--out", str(out)],
                   cwd=EXAMPLES / folder, capture_output=True, check=False)
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["schema_version"] == SCHEMA_VERSION
    assert {"rulebook", "summary", "problems", "findings"} <= set(document)
    findings = document["findings"]
    assert findings and document["summary"]["findings"] == len(findings)
    counted: dict[str, dict[str, int]] = {}
    for record in findings:
        per_rule = counted.setdefault(record["rule"], {})
        per_rule[record["severity"]] = per_rule.get(record["severity"], 0) + 1
    assert document["summary"]["by_rule"] == counted
