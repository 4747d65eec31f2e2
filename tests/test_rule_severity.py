"""The rulebook's YAML is the truth about severity: an office that edits a rule's severity sees it in every
command's findings (scan, groups audit, ledger), built by the one finding builder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from qingfeng.core.models import Explanation
from qingfeng.rulebook.loader import RulebookError, default_rulebook, load_rulebook
from qingfeng.runtime.findings import MIN_CONFIDENCE, build_finding, judged_severity

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
LEDGER = ["ledger", "transfers.csv", "--people", "people.csv", "--relations", "relations.csv",
          "--elections", "elections.csv", "--as-of", "2024-07-01"]
GROUPS = ["groups", "audit", "--groups", "groups.csv", "--members", "members.csv", "--people", "people.csv",
          "--archive", "archive.jsonl", "--as-of", "2024-05-20"]


def _severities(folder: str, arguments: list[str], rule: str, tmp_path: Path, rulebook: Path | None) -> list[str]:
    out = tmp_path / "out.jsonl"
    env = {**os.environ, "COLUMNS": "120"}
    env.pop("QINGFENG_RULEBOOK", None)
    if rulebook is not None:
        env["QINGFENG_RULEBOOK"] = str(rulebook)
    subprocess.run([sys.executable, "-m", "qingfeng", *arguments, "--format", "jsonl", "--out", str(out)],
                   cwd=EXAMPLES / folder, capture_output=True, env=env, check=False)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return [record["severity"] for record in records if record.get("rule") == rule]


def _set_severity(rulebook: Path, file: str, rule: str, old: str, new: str) -> None:
    path = rulebook / "rules" / file
    text = path.read_text(encoding="utf-8")
    start = text.index(f"- id: {rule}\n")
    at = text.index(f"  severity: {old}\n", start)
    assert at < text.find("\n- id: ", start + 1), f"{rule} no longer says severity: {old}"
    path.write_text(text[:at] + f"  severity: {new}\n" + text[at + len(f"  severity: {old}\n"):], encoding="utf-8")


@pytest.mark.parametrize(
    ("folder", "arguments", "file", "rule", "old", "new"),
    [
        ("scan", ["scan", "messages.jsonl"], "gifts.yaml", "GFT001", "block", "warn"),
        ("groups", GROUPS, "group.yaml", "GRP001", "warn", "block"),
        ("ledger", LEDGER, "ledger.yaml", "LED002", "warn", "info"),
        ("ledger", LEDGER, "ledger.yaml", "LED006", "block", "warn"),
    ],
)
def test_a_rule_severity_set_in_yaml_is_what_every_command_reports(
    tmp_path: Path, rulebook_folder: Path, folder: str, arguments: list[str], file: str, rule: str, old: str, new: str
) -> None:
    before = _severities(folder, arguments, rule, tmp_path, None)
    assert before and set(before) == {old}, f"{rule} should fire as {old} on the bundled example"
    copy = rulebook_folder
    _set_severity(copy, file, rule, old, new)
    assert load_rulebook(base=copy).rule(rule).severity == new
    assert set(_severities(folder, arguments, rule, tmp_path, copy)) == {new}


def test_a_rule_is_raised_only_within_the_escalate_it_declares() -> None:
    rulebook = default_rulebook()
    led001, led004, grp001 = rulebook.rule("LED001"), rulebook.rule("LED004"), rulebook.rule("GRP001")
    assert (led001.severity, led001.escalate) == ("warn", "block")
    assert judged_severity(led001, raise_by=1) == "block"
    assert judged_severity(led001, raise_by=2) == "block"  # never above the ceiling
    assert judged_severity(grp001, raise_by=1) == grp001.severity  # no escalate declared: never raised
    assert judged_severity(led004, settled=True) == "info"
    assert judged_severity(led004, confidence=MIN_CONFIDENCE - 0.01) == "info"
    assert judged_severity(led004, confidence=MIN_CONFIDENCE) == "block"


def test_extras_never_replace_a_field_of_the_finding_record() -> None:
    rule = default_rulebook().rule("GFT001")
    why = Explanation("lexicon", "test")
    finding = build_finding(rule, "zh", message_id="m1", excerpt="x", why=why, extra={"room": "r1"})
    assert finding.to_dict()["room"] == "r1" and finding.to_dict()["explanation"] == "lexicon: test"
    with pytest.raises(ValueError, match="severity"):
        build_finding(rule, "zh", message_id="m1", excerpt="x", why=why, extra={"severity": "info"})


def test_escalate_must_lie_above_the_rule_severity(rulebook_folder: Path) -> None:
    path = rulebook_folder / "rules" / "ledger.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("escalate: block", "escalate: info", 1), "utf-8")
    with pytest.raises(RulebookError, match=r"LED001.*escalate"):
        load_rulebook(base=rulebook_folder)
