"""The ledger rules of the rulebook (``input: ledger``) bound to their queries.

A rule's ``detector.kind`` names a query in ``ledger/sql/`` (KIND.sql); its thresholds come from the
screening configuration, so that a whole office screens with one set of limits. Two kinds act on the
other rules' findings instead of standing alone: ``work_hours_group`` raises their severity and
``not_returned`` escalates or resolves them by what happened to the money afterwards.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from pydantic import BaseModel, ConfigDict

from qingfeng.ledger.config import Thresholds
from qingfeng.rulebook.kinds import RuleKind, register_kind
from qingfeng.rulebook.loader import Rulebook
from qingfeng.rulebook.schema import Rule

KINDS = ("interested_party", "beyond_reciprocity", "work_hours_group", "repeated_small", "vote_buying", "giftcard",
         "redpacket_gambling", "not_returned")
RAISING = "work_hours_group"
RETURNS = "not_returned"
# Findings about money an official received, which the official can (and must) give back.
RETURNABLE = frozenset({"interested_party", "beyond_reciprocity", "repeated_small", "giftcard"})


class LedgerSpec(BaseModel):
    """A ledger rule's detector: only the kind; thresholds live in the configuration."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: str


for _kind in KINDS:
    register_kind(RuleKind("ledger", _kind, LedgerSpec, _kind))


@dataclass(frozen=True)
class LedgerRule:
    rule: Rule
    kind: str


@cache
def query_text(kind: str) -> str:
    return files("qingfeng.ledger").joinpath("sql", f"{kind}.sql").read_text(encoding="utf-8")


def render_query(kind: str, thresholds: Thresholds, **values: object) -> str:
    """The query with the thresholds written in (numbers and one escaped regular expression)."""
    settings = thresholds.model_dump() | {"repeat_total": thresholds.repeat_total_limit} | values
    settings["reimbursement_memo"] = thresholds.reimbursement_memo.replace("'", "''")
    return query_text(kind).format(**settings)


def compile_rules(rulebook: Rulebook, select: Sequence[str] = (), ignore: Sequence[str] = ()) -> list[LedgerRule]:
    compiled = []
    for rule in rulebook.rules_for("ledger"):
        if (select and not rule.id.startswith(tuple(select))) or (ignore and rule.id.startswith(tuple(ignore))):
            continue
        compiled.append(LedgerRule(rule, rulebook.specs[rule.id].kind))
    return compiled
