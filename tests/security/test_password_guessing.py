"""Guessing passwords: one address at one account, one address at many accounts, many addresses at one
account. Failures are counted in the database: both app instances ("workers") and a restarted one agree."""

from __future__ import annotations

from qingfeng.web.api.deps import SESSION_COOKIE as SESSION
from qingfeng.web.core.config import Settings

from .conftest import TIGHT, Site, ThreadedServer, new_address


def signed_in(response) -> bool:
    return response.status_code == 303 and SESSION in response.cookies


def test_guessing_one_account_locks_only_that_lane(site: Site) -> None:
    victim = site.add_user("officer")
    office = new_address()
    assert signed_in(site.client(office).login(victim))  # the victim's usual address
    attacker = site.client()
    for _ in range(TIGHT["login_failures"]):
        assert attacker.login(victim, "guess").status_code == 401
    refused = attacker.login(victim)  # even the right password, from the guesser's address
    assert refused.status_code == 429 and SESSION not in refused.cookies
    assert signed_in(site.client(office).login(victim))
    assert signed_in(site.client().login(victim))  # a new address is not refused either: 3 failures < 6


def test_failures_on_other_accounts_never_refuse_a_right_password(site: Site) -> None:
    """One address guesses at many accounts until it is over its limit; people who use that address (a
    shared office proxy) still sign in with their right password."""
    colleague = site.add_user("member")
    office = new_address()
    assert signed_in(site.client(office).login(colleague))
    guesser = site.client(office)
    for target in (site.add_user() for _ in range(TIGHT["login_address_failures"])):
        guesser.login(target, "guess")
    assert guesser.login(site.add_user(), "guess").status_code == 429  # the address is over its limit
    assert signed_in(site.client(office).login(colleague))


def test_spread_guessing_locks_the_account_for_unknown_addresses_only(site: Site) -> None:
    owner = site.add_user("admin")
    home = new_address()
    assert signed_in(site.client(home).login(owner))
    for _ in range(TIGHT["login_account_failures"]):
        assert site.client().login(owner, "guess").status_code == 401  # every guess from a new address
    assert site.client().login(owner).status_code == 429
    assert signed_in(site.client(home).login(owner))


def test_workers_and_restarts_share_the_count(site: Site) -> None:
    name = site.add_user()
    address = new_address()
    for worker in (0, 1, 0):  # alternate between the two app instances
        assert site.client(address, worker=worker).login(name, "guess").status_code == 401
    assert site.client(address, worker=1).login(name).status_code == 429
    restarted = Settings(**{**site.settings.model_dump(), "secret_key": site.settings.secret_key})
    with ThreadedServer(restarted) as base:
        again = Site(restarted, [base]).client(address).login(name)
    assert again.status_code == 429
