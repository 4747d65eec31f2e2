"""A ledger rule's examples: small ledgers (rows as the CSV files hold them) the rule must fire on or pass."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from qingfeng.ingest.people import Person
from qingfeng.ingest.relations import Election, Relationship
from qingfeng.ingest.transfers import load_transfer_rows
from qingfeng.ledger import tables
from qingfeng.ledger.config import Thresholds
from qingfeng.ledger.screen import LedgerResult, screen_loaded
from qingfeng.rulebook.loader import Rulebook
from qingfeng.rulebook.schema import Rule


class LedgerExample(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    note: str = ""  # the example in words, for the rule's page
    as_of: date
    transfers: list[dict[str, Any]] = Field(min_length=1)
    people: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []
    elections: list[dict[str, Any]] = []
    config: dict[str, Any] = {}  # thresholds other than the defaults
    expect: Literal["info", "warn", "block"] | None = None  # the severity the rule's finding must have

    def screen(self, rulebook: Rulebook, lang: str = "zh") -> LedgerResult:
        """The example screened with every ledger rule (some act on the others' findings)."""
        con = tables.connect(threads=1)
        try:
            problems = load_transfer_rows(con, self.transfers, "example")
            people = [Person.model_validate(row) for row in self.people]
            return screen_loaded(
                con,
                {person.id: person for person in people},
                [Relationship.model_validate(row) for row in self.relations],
                [Election.model_validate(row) for row in self.elections],
                thresholds=Thresholds.model_validate(self.config | {"as_of": self.as_of}),
                rulebook=rulebook,
                lang=lang,
                problems=problems,
            )
        finally:
            con.close()


def rule_examples(rule: Rule, which: str) -> list[LedgerExample]:
    items = rule.examples.fire if which == "fire" else rule.examples.pass_
    return [LedgerExample.model_validate(item) for item in items]
