"""Golden files: the text, JSON-lines and HTML outputs of scan, ledger and groups audit on the bundled examples.

A refactor must leave them byte for byte as they are; a change meant to alter them shows every difference here.
After such a change, rewrite them with ``QINGFENG_UPDATE_GOLDEN=1 pytest tests/test_golden.py`` and read the diff.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("QINGFENG_UPDATE_GOLDEN") == "1"
# The rulebook's content hash changes with any edit to any rule or word list; the findings show what changed.
RULEBOOK_HASH = re.compile(rb"(\d+\.\d+\.\d+)\+[0-9a-f]{12}")

LEDGER = ["ledger", "transfers.csv", "--people", "people.csv", "--relations", "relations.csv",
          "--elections", "elections.csv", "--as-of", "2024-07-01"]
GROUPS = ["groups", "audit", "--groups", "groups.csv", "--members", "members.csv", "--people", "people.csv",
          "--archive", "archive.jsonl", "--as-of", "2024-05-20"]
CASES = {
    **{f"scan-{source}-{fmt}": ("scan", ["scan", source, "--format", fmt])
       for source in ("messages.jsonl", "messages.csv", "wecom.jsonl") for fmt in ("text", "jsonl", "html")},
    **{f"ledger-{fmt}": ("ledger", [*LEDGER, "--format", fmt]) for fmt in ("text", "jsonl", "html")},
    **{f"groups-{fmt}": ("groups", [*GROUPS, "--format", fmt]) for fmt in ("text", "jsonl", "html")},
}


def _suffix(name: str) -> str:
    return {"text": ".txt", "jsonl": ".jsonl", "html": ".html"}[name.rsplit("-", 1)[1]]


@pytest.mark.parametrize("name", sorted(CASES))
def test_output_matches_its_golden_file(name: str, tmp_path: Path) -> None:
    folder, arguments = CASES[name]
    text = name.endswith("-text")  # the text report goes to the terminal, the others to a file
    out = tmp_path / f"out{_suffix(name)}"
    run = subprocess.run(
        [sys.executable, "-m", "qingfeng", *arguments, *([] if text else ["--out", str(out)])],
        cwd=EXAMPLES / folder, capture_output=True,
        env={**os.environ, "COLUMNS": "120", "SOURCE_DATE_EPOCH": "1780000000"},
    )
    assert run.returncode in (0, 1), run.stderr.decode()
    produced = RULEBOOK_HASH.sub(rb"\1+RULEBOOK", run.stdout if text else out.read_bytes())
    golden = GOLDEN / f"{name}{_suffix(name)}"
    if UPDATE:
        golden.write_bytes(produced)
    assert golden.exists(), f"no golden file {golden.name}: run with QINGFENG_UPDATE_GOLDEN=1"
    assert produced.decode() == golden.read_bytes().decode()
