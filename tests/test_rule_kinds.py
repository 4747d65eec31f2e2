"""One registry of rule kinds for messages, group registers and ledgers; every detector validated at load."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qingfeng.cli import app
from qingfeng.rulebook.kinds import rule_kinds
from qingfeng.rulebook.loader import RulebookError, default_rulebook, load_rulebook

runner = CliRunner()


@pytest.fixture
def rulebook_copy(rulebook_folder: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An editable copy of the package's rulebook, made the default one through QINGFENG_RULEBOOK."""
    monkeypatch.setenv("QINGFENG_RULEBOOK", str(rulebook_folder))
    default_rulebook.cache_clear()
    yield rulebook_folder
    default_rulebook.cache_clear()


def test_every_rule_of_every_input_has_a_registered_kind_and_a_typed_spec() -> None:
    rulebook = default_rulebook()
    for rule in rulebook.rules:
        kind = rule_kinds(rule.input)[rule.detector["kind"]]
        assert kind.input == rule.input
        assert isinstance(rulebook.specs[rule.id], kind.spec)
        assert kind.spec.model_config.get("extra") == "forbid"


@pytest.mark.parametrize(
    ("file", "rule", "old", "new", "complaint"),
    [
        ("gifts.yaml", "GFT001", "confidence: 0.9", "confidance: 0.9", "confidance"),
        ("group.yaml", "GRP001", "kind: group_owner}", "kind: group_owner, grace: 1}", "grace"),
        ("ledger.yaml", "LED006", "kind: giftcard}", "kind: giftcard, limit: 5}", "limit"),
        ("ledger.yaml", "LED006", "kind: giftcard}", "kind: gift_card}", "unknown ledger detector kind"),
    ],
)
def test_a_misspelt_option_fails_at_load_naming_file_and_rule_and_rules_exits_2(
    rulebook_copy: Path, file: str, rule: str, old: str, new: str, complaint: str
) -> None:
    path = rulebook_copy / "rules" / file
    text = path.read_text(encoding="utf-8")
    start = text.index(f"- id: {rule}\n")
    end = text.find("\n- id: ", start + 1)
    block = text[start:end if end != -1 else len(text)]
    assert old in block, f"{rule} in {file} no longer holds {old!r}"
    path.write_text(text[:start] + block.replace(old, new, 1) + text[start + len(block):], encoding="utf-8")
    with pytest.raises(RulebookError) as raised:
        load_rulebook(base=rulebook_copy)
    assert file in str(raised.value) and rule in str(raised.value) and complaint in str(raised.value)
    result = runner.invoke(app, ["rules"])
    assert result.exit_code == 2, result.output
    assert file in result.output and rule in result.output
