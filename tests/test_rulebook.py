"""Meta-tests over the whole rulebook: every rule's examples, its page, its sources; malformed rules."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qingfeng import Checker
from qingfeng.rulebook.loader import Rulebook, RulebookError, default_rulebook, load_rulebook
from qingfeng.rulebook.pages import SECTIONS, rule_page

RULEBOOK = default_rulebook()
MESSAGE_RULES = RULEBOOK.rules_for("message")


@pytest.mark.parametrize("rule", RULEBOOK.rules, ids=lambda rule: rule.id)
def test_every_rule_page_is_complete(rulebook: Rulebook, rule) -> None:
    for lang in ("zh", "en"):
        page = rule_page(rulebook, rule, lang)
        assert list(page.sections) == list(SECTIONS)
        for key, body in page.sections.items():
            assert body.strip(), f"{rule.id} page ({lang}) has an empty {key} section"


def test_rule_ids_name_their_family(rulebook: Rulebook) -> None:
    prefixes: dict[str, set[str]] = {}
    for rule in rulebook.rules:
        prefixes.setdefault(rule.id[:3], set()).add(rule.category)
    assert all(len(categories) == 1 for categories in prefixes.values()), prefixes


def test_every_clause_is_catalogued_with_coverage(rulebook: Rulebook) -> None:
    for clause in rulebook.clauses.values():
        assert clause.text_zh.strip() and clause.gist_zh and clause.gist_en
        for entry in clause.coverage:
            if entry.status == "not-checked":
                assert entry.reason and entry.reason_zh and entry.reason_en, clause.id
        if any(entry.status == "guidance" for entry in clause.coverage):
            assert clause.advice_zh and clause.advice_en, clause.id


def test_rules_cite_clauses_that_check_their_category(rulebook: Rulebook) -> None:
    for rule in rulebook.rules:
        cited = [rulebook.clauses[c] for c in rule.sources]
        assert any(rule.category in clause.checked_categories for clause in cited), (
            f"{rule.id} ({rule.category}) cites no clause checked under its category: {rule.sources}"
        )


_MESSAGE_CATEGORIES = {"secrecy", "privacy", "gifts", "fraud", "spam", "chain", "rumor", "vulgar", "illegal", "abuse"}


def test_every_message_category_clause_has_a_rule(rulebook: Rulebook) -> None:
    missing = []
    for clause in rulebook.clauses.values():
        for category in set(clause.checked_categories) & _MESSAGE_CATEGORIES:
            if not any(rule.category == category for rule in rulebook.rules_citing(clause.id)):
                missing.append(f"{clause.id}:{category}")
    assert not missing, f"clauses marked checked with no rule of that category citing them: {missing}"


def test_catalogue_matches_the_design_sources_when_present(rulebook: Rulebook) -> None:
    design = Path(__file__).resolve().parents[2] / "shared" / "design" / "sources.md"
    if not design.exists():
        pytest.skip("the design folder is not beside this checkout")
    rows = re.findall(r"^\| ([a-z]+-[0-9a-z.]+) \| .*? \| (.*?) \|$", design.read_text(encoding="utf-8"), re.M)
    assert [clause_id for clause_id, _ in rows] == list(rulebook.clauses)
    for clause_id, coverage in rows:
        assert rulebook.clauses[clause_id].coverage_text == coverage.strip()


_GOOD_RULE = """
- id: TST001
  title: {zh: 测试, en: Test}
  category: spam
  severity: warn
  detector: {kind: lexicon, any: [测试广告]}
  description: {zh: 测试, en: test}
  message: {zh: 测试, en: test}
  advice: {zh: 测试, en: test}
  sources: [zj-5]
  examples: {fire: [测试广告], pass: [正常消息]}
"""


def _load_with(tmp_path: Path, text: str) -> Rulebook:
    folder = tmp_path / "rules"
    folder.mkdir(exist_ok=True)
    (folder / "extra.yaml").write_text(text, encoding="utf-8")
    rulebook = load_rulebook([folder])
    Checker(rulebook, select=["TST"])  # builds detectors, where detector specs are validated
    return rulebook


def test_an_added_yaml_rule_works_without_code(tmp_path: Path) -> None:
    rulebook = _load_with(tmp_path, _GOOD_RULE)
    checker = Checker(rulebook, select=["TST"])
    assert [f.rule for f in checker.check("这是测试广告")] == ["TST001"]


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (("severity: warn", "severity: loud"), "severity"),
        (("  advice: {zh: 测试, en: test}\n", ""), "advice"),
        (("kind: lexicon", "kind: telepathy"), "unknown detector kind"),
        (("any: [测试广告]", "any: ['@nothing.here']"), "unknown vocabulary"),
        (("any: [测试广告]", "any: [测试广告], anyy: [x]"), "anyy"),
        (("sources: [zj-5]", "sources: [zz-99]"), "unknown source clause"),
        (("id: TST001", "id: tst-1"), "id"),
        (("pass: [正常消息]", "pass: []"), "pass"),
        (("kind: lexicon, any: [测试广告]", "kind: pattern, regex: '(unclosed'"), "regex"),
        (("title: {zh: 测试, en: Test}", "title: {zh: 测试, en: Test"), "not valid YAML"),
        (("any: [测试广告]", "any: [测试广告, 广告😂]"), "emoji"),  # would match 广告 beside any emoji
    ],
)
def test_malformed_rules_are_rejected_naming_file_and_rule(tmp_path: Path, change, complaint: str) -> None:
    old, new = change
    assert old in _GOOD_RULE
    with pytest.raises(RulebookError) as raised:
        _load_with(tmp_path, _GOOD_RULE.replace(old, new))
    message = str(raised.value)
    assert "extra.yaml" in message
    assert complaint in message
    if "YAML" not in complaint:
        assert "TST001" in message or "tst-1" in message


def test_a_duplicate_rule_id_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(RulebookError, match="TST001: id already used"):
        _load_with(tmp_path, _GOOD_RULE + _GOOD_RULE)
