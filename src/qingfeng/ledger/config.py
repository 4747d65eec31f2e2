"""Screening thresholds: documented defaults, overridden by a TOML file, then by command-line flags.

A TOML file holds the keys below at top level or under ``[ledger]``:

    per_transfer_limit = 200        # yuan: beyond this one transfer exceeds normal reciprocity (人情往来)
    per_counterparty_limit = 500    # yuan from one counterparty within counterparty_days
    counterparty_days = 30
    work_hours = "08:30-17:30"      # on working days of the Chinese calendar (调休 included)
    return_days = 7                 # a flagged receipt must be returned within this many days
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from qingfeng.coach.workcal import Window
from qingfeng.ingest.errors import InputError, InputProblem
from qingfeng.ingest.tomlfile import read_toml


class Thresholds(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    per_transfer_limit: float = Field(200, gt=0)
    per_counterparty_limit: float = Field(500, gt=0)
    counterparty_days: int = Field(30, ge=1)
    work_hours: str = "08:30-17:30"
    return_days: int = Field(7, ge=0)
    # A shared expense paid back (AA, a meal) from a subordinate is not a gift when small and said so.
    reimbursement_floor: float = Field(100, ge=0)
    reimbursement_memo: str = r"(?i)AA|饭钱|餐费|饭费|车费|打车|油费|垫付|代付|报销|拼单|门票"
    # Repeated small sums: at least repeat_count transfers, each within the per-transfer limit, within
    # repeat_days, adding up beyond repeat_total (default: the per-transfer limit).
    repeat_count: int = Field(5, ge=2)
    repeat_days: int = Field(60, ge=1)
    repeat_total: float | None = Field(None, gt=0)
    # Vote buying: red envelopes from one sender to this many members of a unit (or branch group) during an
    # election period or in the lead_days before it.
    burst_members: int = Field(5, ge=2)
    burst_lead_days: int = Field(30, ge=0)
    # Red-envelope gambling (接龙): packets of at most gamble_packet yuan where the luckiest receiver of one
    # sends the next within gamble_gap_minutes, at least gamble_links times in a day in one group.
    gamble_packet: float = Field(200, gt=0)
    gamble_gap_minutes: int = Field(10, ge=1)
    gamble_links: int = Field(5, ge=2)
    as_of: date | None = None  # the day the return deadline is judged on; default today

    @field_validator("work_hours")
    @classmethod
    def _window(cls, value: str) -> str:
        Window.parse(value)
        return value

    @property
    def window(self) -> Window:
        return Window.parse(self.work_hours)

    @property
    def repeat_total_limit(self) -> float:
        return self.repeat_total if self.repeat_total is not None else self.per_transfer_limit


def load_thresholds(path: Path | None = None, **overrides: Any) -> Thresholds:
    """Defaults, then the file's keys, then the non-None overrides; a bad value names the file and key."""
    values: dict[str, Any] = {}
    where = str(path) if path is not None else "options"
    if path is not None:
        data = read_toml(path)
        values.update(data.get("ledger", data))
    values.update({key: value for key, value in overrides.items() if value is not None})
    try:
        return Thresholds.model_validate(values)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or None
        raise InputError(InputProblem(where, None, field, first["msg"])) from None
