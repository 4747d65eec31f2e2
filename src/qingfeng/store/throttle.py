"""Throttling kept in the database, so every worker counts the same events and a restart forgets none.

Sign-in (``login_refused`` / ``record_login``), three counters over a sliding window:

- failures on one account from one address (``pair``): the guesser's own lane; reset by a sign-in to that
  account from that address;
- failures on one account from every address (``account``): a guesser spread over many addresses; reset by a
  sign-in to the account;
- failures from one address on every account (``address``): one address trying many accounts; never reset,
  or a guesser could clear it by signing in to an account of their own.

The last two are waived for a *known* address: one the account signed in from within ``known_days``. So a
flood of failures against other accounts, or from other addresses, never refuses the right password of an
account at an address it uses; only failures on that very account from that very address can.

Anonymous actions (``over_limit`` / ``count_hit``): events per keyed digest of the caller's address.

Counting and recording are two statements, not one transaction: with N workers at most N-1 extra attempts
slip through at the edge of a limit, which does not change what a guesser can achieve.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from qingfeng.store.models import LoginAttempt, ThrottleHit, utcnow


@dataclass(frozen=True)
class LoginPolicy:
    pair: int = 5
    account: int = 20
    address: int = 50
    window_s: int = 900
    known_days: int = 30


def account_key(name: str) -> str:
    return name.strip().lower()[:64]


def _failures(db: Session, since: datetime, *where: ColumnElement[bool], reset: bool) -> int:
    conditions = [LoginAttempt.success.is_(False), LoginAttempt.at >= since, *where]
    if reset:
        last_ok = select(func.max(LoginAttempt.at)).where(LoginAttempt.success.is_(True), *where).scalar_subquery()
        conditions.append(or_(last_ok.is_(None), LoginAttempt.at > last_ok))
    return db.scalar(select(func.count(LoginAttempt.id)).where(*conditions)) or 0


def known_address(db: Session, *, account: str, address: str, policy: LoginPolicy) -> bool:
    since = utcnow() - timedelta(days=policy.known_days)
    found = select(LoginAttempt.id).where(
        LoginAttempt.success.is_(True),
        LoginAttempt.account == account_key(account),
        LoginAttempt.address == address,
        LoginAttempt.at >= since,
    )
    return db.scalar(found.limit(1)) is not None


def login_refused(db: Session, *, account: str, address: str, policy: LoginPolicy) -> bool:
    """Whether a sign-in to ``account`` from ``address`` is refused without looking at the password."""
    name = account_key(account)
    since = utcnow() - timedelta(seconds=policy.window_s)
    on_account = LoginAttempt.account == name
    from_address = LoginAttempt.address == address
    if _failures(db, since, on_account, from_address, reset=True) >= policy.pair:
        return True
    if known_address(db, account=name, address=address, policy=policy):
        return False
    return (
        _failures(db, since, on_account, reset=True) >= policy.account
        or _failures(db, since, from_address, reset=False) >= policy.address
    )


def record_login(db: Session, *, account: str, address: str, success: bool, policy: LoginPolicy) -> None:
    """Count an attempt, and forget the ones that no longer count for anything."""
    now = utcnow()
    db.execute(
        delete(LoginAttempt).where(
            or_(
                LoginAttempt.at < now - timedelta(days=policy.known_days),
                (LoginAttempt.success.is_(False)) & (LoginAttempt.at < now - timedelta(seconds=policy.window_s)),
            )
        )
    )
    db.add(LoginAttempt(at=now, account=account_key(account), address=address, success=success))
    db.commit()


def clear_failures(db: Session, *, account: str) -> int:
    """Forget an account's failed sign-ins (an admin lifting a lock-out); returns how many."""
    cleared = db.execute(
        delete(LoginAttempt).where(LoginAttempt.account == account_key(account), LoginAttempt.success.is_(False))
    )
    db.commit()
    return cleared.rowcount


def over_limit(db: Session, *, scope: str, key: str, limit: int, window_s: int) -> bool:
    since = utcnow() - timedelta(seconds=window_s)
    hits = select(func.count(ThrottleHit.id)).where(
        ThrottleHit.scope == scope, ThrottleHit.key == key, ThrottleHit.at >= since
    )
    return (db.scalar(hits) or 0) >= limit


def count_hit(db: Session, *, scope: str, key: str, window_s: int) -> None:
    now = utcnow()
    stale = now - timedelta(seconds=window_s)
    db.execute(delete(ThrottleHit).where(ThrottleHit.scope == scope, ThrottleHit.at < stale))
    db.add(ThrottleHit(scope=scope, key=key, at=now))
    db.commit()
