"""Why a ledger finding was raised, in words and figures from the data (zh by default, en with --lang en)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from qingfeng.core.i18n import t
from qingfeng.ledger.config import Thresholds


def yuan(amount: float) -> str:
    return f"{amount:,.2f}".rstrip("0").rstrip(".")


def money(amounts: list[float], lang: str) -> str:
    if len(amounts) == 1:
        return t("ledger.money.one", lang, each=yuan(amounts[0]))
    if len(set(amounts)) == 1:
        return t("ledger.money.same", lang, n=len(amounts), each=yuan(amounts[0]))
    return t("ledger.money.mixed", lang, n=len(amounts), total=yuan(sum(amounts)), max=yuan(max(amounts)))


def span(first: datetime, last: datetime, lang: str) -> str:
    if first.date() == last.date():
        return t("ledger.span.day", lang, day=first.date().isoformat())
    days = (last.date() - first.date()).days + 1
    return t("ledger.span.days", lang, days=days, first=first.date().isoformat(), last=last.date().isoformat())


def relation(name: str | None, lang: str) -> str:
    return t(f"ledger.relation.{name or 'none'}", lang)


def why(kind: str, lang: str, thresholds: Thresholds, *, amounts: list[float], first: datetime, last: datetime,
        who: str, subject: str, counterparty: str, relation_name: str | None, room: str, details: dict[str, Any],
        over_limit: bool) -> str:
    """The sentence for one finding of a query kind (not_returned has its own, in screen.py)."""
    common = {
        "who": who,
        "subject": subject,
        "relation": relation(relation_name, lang),
        "money": money(amounts, lang),
        "span": span(first, last, lang),
        "limit": yuan(thresholds.per_transfer_limit),
        "cp_limit": yuan(thresholds.per_counterparty_limit),
        "days": thresholds.counterparty_days,
        "room": room,
    }
    if kind == "interested_party":
        over = t("ledger.why.over", lang, **common) if over_limit else ""
        return t("ledger.why.interested_party", lang, **common, over=over)
    if kind == "work_hours_group":
        return t("ledger.why.work_hours_group", lang, **common, hours=thresholds.work_hours)
    if kind == "repeated_small":
        return t("ledger.why.repeated_small", lang, **common, total_limit=yuan(thresholds.repeat_total_limit))
    if kind == "vote_buying":
        return t("ledger.why.vote_buying", lang, **common, unit=counterparty, start=details["start"],
                 end=details["end"], members=details["members"], lead=thresholds.burst_lead_days)
    if kind == "redpacket_gambling":
        return t("ledger.why.redpacket_gambling", lang, **common, day=first.date().isoformat(),
                 links=details["links"], packets=details["packets"], players=details["players"],
                 total=yuan(sum(amounts)))
    return t(f"ledger.why.{kind}", lang, **common)
