"""Signing in as an officer with the password alone: with QINGFENG_TOTP_REQUIRED the password only leads to
the code step (enrolling on first sign-in); a code is good once; wrong codes count as failed sign-ins."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pyotp
import pytest

from qingfeng.web.api.deps import SESSION_COOKIE

from .conftest import TIGHT, Client, Site, ThreadedServer

PENDING = re.compile(r'name="pending" value="([^"]+)"')
SECRET = re.compile(r'<code class="secret">([A-Z2-7]+)</code>')


@pytest.fixture(scope="module")
def strict(site: Site) -> Iterator[Site]:
    """The same database, served with two-factor sign-in required for officers and admins."""
    settings = site.settings.model_copy(update={"totp_required": True})
    with ThreadedServer(settings) as base:
        yield Site(settings, [base])


def code_step(client: Client, pending: str, code: str) -> object:
    return client.form("/login/totp", {"pending": pending, "code": code})


def next_code(secret: str) -> str:
    """The code of the next time step: accepted (clock drift) and not used yet."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def test_an_officer_enrols_then_signs_in_with_a_code(strict: Site) -> None:
    officer = strict.add_user("officer")
    client = strict.client()
    first = client.login(officer)
    assert first.status_code == 200 and SESSION_COOKIE not in first.cookies  # the password alone is not enough
    secret = SECRET.search(first.text).group(1)
    assert 'src="data:image/svg+xml' in first.text  # the QR code, inline
    pending = PENDING.search(first.text).group(1)
    assert code_step(client, pending, "000000").status_code == 401
    code = pyotp.TOTP(secret).now()
    done = code_step(client, pending, code)
    assert done.status_code == 303 and SESSION_COOKIE in done.cookies
    assert client.http.get("/api/me").json()["name"] == officer
    # Next time: the code page only, no secret shown; the code just used is refused (replay).
    again = strict.client()
    second = again.login(officer)
    assert SECRET.search(second.text) is None and SESSION_COOKIE not in second.cookies
    pending = PENDING.search(second.text).group(1)
    assert code_step(again, pending, code).status_code == 401
    assert code_step(again, pending, next_code(secret)).status_code == 303


def test_members_are_not_asked_and_forged_steps_fail(strict: Site) -> None:
    member = strict.add_user("member")
    assert strict.client().login(member).status_code == 303
    officer = strict.add_user("officer")
    client = strict.client()
    pending = PENDING.search(client.login(officer).text).group(1)
    user_id, _, rest = pending.partition(":")
    forged = f"{int(user_id) - 1}:{rest}"  # another account's id under this signature
    assert code_step(client, forged, "123456").status_code == 400
    assert code_step(client, pending + "0", "123456").status_code == 400


def test_guessing_codes_is_throttled(strict: Site) -> None:
    officer = strict.add_user("officer")
    client = strict.client()
    pending = PENDING.search(client.login(officer).text).group(1)
    for _ in range(TIGHT["login_failures"]):
        assert code_step(client, pending, "000000").status_code == 401
    assert code_step(client, pending, "111111").status_code == 429


def test_enrolment_from_the_account_page(site: Site) -> None:
    """Without the setting, anyone may turn two-factor sign-in on; from then on it is asked."""
    name = site.add_user("member")
    client = site.client()
    assert client.login(name).status_code == 303
    page = client.http.get("/account/totp")
    secret = SECRET.search(page.text).group(1)
    pending = PENDING.search(page.text).group(1)
    assert client.form("/account/totp", {"pending": pending, "code": "000000"}, page="/account").status_code == 422
    code = pyotp.TOTP(secret).now()
    assert client.form("/account/totp", {"pending": pending, "code": code}, page="/account").status_code == 303
    later = site.client().login(name)
    assert later.status_code == 200 and PENDING.search(later.text) and SESSION_COOKIE not in later.cookies
    # Moving to another authenticator takes a code of the current one: an open session alone cannot.
    page = client.http.get("/account/totp")
    new_secret, pending = SECRET.search(page.text).group(1), PENDING.search(page.text).group(1)
    moved = {"pending": pending, "code": pyotp.TOTP(new_secret).now()}
    assert client.form("/account/totp", {**moved, "current": "000000"}, page="/account").status_code == 422
    assert client.form("/account/totp", {**moved, "current": next_code(secret)}, page="/account").status_code == 303
