"""Forging X-Forwarded-For: believed only from a trusted proxy, and read from the right, so a client can
neither escape its limits by naming other addresses nor frame another address."""

from __future__ import annotations

from sqlalchemy import select

from qingfeng.store.models import AuditEntry
from qingfeng.store.security import parse_networks, real_client

from .conftest import TIGHT, Client, Site, new_address


def test_an_untrusted_peer_cannot_rotate_forwarded_addresses(site: Site) -> None:
    name = site.add_user()
    for _ in range(TIGHT["login_failures"]):
        # Not the proxy: a peer on 127.0.0.2 naming a new address each time gains nothing.
        assert site.client(peer="127.0.0.2").login(name, "guess").status_code == 401
    assert site.client(peer="127.0.0.2").login(name).status_code == 429
    assert site.client(peer="127.0.0.1").login(name).status_code == 303  # the real clients behind the proxy


def test_a_client_behind_the_proxy_cannot_prepend_addresses(site: Site) -> None:
    """The proxy appends the address it saw; whatever the client wrote to the left of it is ignored."""
    name = site.add_user()
    real = new_address()
    for _ in range(TIGHT["login_failures"]):
        forged = Client(site.base, f"{new_address()}, {real}")
        assert forged.login(name, "guess").status_code == 401
    assert Client(site.base, f"{new_address()}, {real}").login(name).status_code == 429
    with site.db() as db:
        logged = db.scalars(select(AuditEntry.ip).where(AuditEntry.target == f"user:{name}")).all()
    assert set(logged) == {real}  # the audit log names the real client


def test_proxies_are_peeled_from_the_right() -> None:
    trusted = parse_networks("10.0.0.0/8, 127.0.0.1")
    assert real_client("127.0.0.1", ["203.0.113.9, 10.1.1.1"], trusted) == "203.0.113.9"
    assert real_client("127.0.0.1", ["198.51.100.1", "203.0.113.9"], trusted) == "203.0.113.9"  # two headers
    assert real_client("192.0.2.7", ["203.0.113.9"], trusted) == "192.0.2.7"  # not a proxy: header ignored
    assert real_client("127.0.0.1", ["not-an-address, 10.1.1.1"], trusted) == "10.1.1.1"
    assert real_client("127.0.0.1", [], ()) == "127.0.0.1"  # no proxies configured
