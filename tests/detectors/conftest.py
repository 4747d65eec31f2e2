"""Per-kind detector tests, in the spirit of detect-secrets' plugin tests: each kind's file lists
``(text, should_flag)`` cases and runs them through one rule of the kind, alone, with the rule's own spec
or a spec the test gives (to exercise one option)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from functools import cache
from typing import Any

import pytest

from qingfeng.core.models import Message
from qingfeng.detectors.context import example_context
from qingfeng.pipeline.engine import Checker
from qingfeng.rulebook.kinds import validate_detector
from qingfeng.rulebook.loader import default_rulebook
from qingfeng.runtime.findings import MIN_CONFIDENCE


@cache
def _checker(rule_id: str, spec: str | None) -> Checker:
    rulebook = default_rulebook()
    rule = rulebook.rule(rule_id)
    if spec is not None:
        rule = rule.model_copy(update={"detector": json.loads(spec)})
    alone = replace(rulebook, rules=(rule,), specs={rule.id: validate_detector("message", rule.detector)})
    return Checker(alone, deduplicate=False, context=example_context())


def flagged(rule_id: str, text: str, spec: dict[str, Any] | None = None, **fields: Any) -> bool:
    """Whether the rule (with ``spec`` in place of its detector, if given) raises a finding on the message that
    is more than advice (confidence at least MIN_CONFIDENCE)."""
    checker = _checker(rule_id, json.dumps(spec, ensure_ascii=False, sort_keys=True) if spec else None)
    message = Message.model_validate({"text": text, **fields})
    return any(f.rule == rule_id and f.confidence >= MIN_CONFIDENCE for f in checker.check(message))


@pytest.fixture
def flags() -> Callable[..., bool]:
    return flagged
