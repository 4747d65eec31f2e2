"""A stolen or forgotten API token: it dies with a password change, at its expiry, or when revoked (page,
API, `qingfeng users token --revoke`), and every token can be listed."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from qingfeng.cli import app
from qingfeng.store import crud
from qingfeng.store.models import ApiToken, utcnow

from .conftest import Site

runner = CliRunner()


def token_for(site: Site, name: str, days: int = 0) -> tuple[int, str]:
    with site.db() as db:
        user = crud.get_user_by_name(db, name=name)
        stored, token = crud.create_api_token(db, user=user, label="test", days=days)
        return stored.id, token


def me(site: Site, token: str) -> int:
    return site.client().http.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code


def test_a_password_change_revokes_every_token(site: Site) -> None:
    name = site.add_user("officer")
    _, first = token_for(site, name)
    _, second = token_for(site, name, days=30)
    assert me(site, first) == me(site, second) == 200
    with site.db() as db:
        crud.update_user(db, user=crud.get_user_by_name(db, name=name), password="a new password 42")
    assert me(site, first) == me(site, second) == 401
    _, after = token_for(site, name)
    assert me(site, after) == 200  # tokens issued after the change work


def test_an_expired_token_is_refused(site: Site) -> None:
    name = site.add_user()
    token_id, token = token_for(site, name, days=1)
    assert me(site, token) == 200
    with site.db() as db:
        db.execute(update(ApiToken).where(ApiToken.id == token_id).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.commit()
    assert me(site, token) == 401


def test_owner_lists_and_revokes_tokens_through_the_api(site: Site) -> None:
    name, other = site.add_user(), site.add_user()
    browser = site.client()
    assert browser.login(name).status_code == 303
    csrf = {"X-CSRF-Token": browser.csrf("/account")}
    made = browser.http.post("/api/tokens", json={"label": "OA", "days": 7}, headers=csrf)
    assert made.status_code == 201 and made.json()["expires_at"]
    token_id, token = made.json()["id"], made.json()["token"]
    listed = browser.http.get("/api/tokens").json()
    assert [t["id"] for t in listed] == [token_id] and "token" not in listed[0]
    foreign_id, _ = token_for(site, other)
    assert browser.http.delete(f"/api/tokens/{foreign_id}", headers=csrf).status_code == 404  # not theirs
    assert me(site, token) == 200
    assert browser.http.delete(f"/api/tokens/{token_id}", headers=csrf).json()["revoked_at"]
    assert me(site, token) == 401
    page = browser.http.get("/account")
    assert page.status_code == 200 and "OA" in page.text


def test_cli_lists_and_revokes(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    if site.settings.database_url:
        monkeypatch.setenv("QINGFENG_DATABASE_URL", site.settings.database_url)
    data = ["--data-dir", str(site.settings.data_dir)]
    name = site.add_user()
    issued = runner.invoke(app, ["users", "token", name, "--label", "cron", "--days", "5", *data])
    assert issued.exit_code == 0, issued.output
    token = issued.output.strip()
    assert me(site, token) == 200
    listed = runner.invoke(app, ["users", "token", name, "--list", *data], terminal_width=200)
    row = next(line for line in listed.output.splitlines() if "cron" in line)
    token_id = re.search(r"\d+", row).group()  # the first column
    assert "active" in row
    revoked = runner.invoke(app, ["users", "token", "--revoke", token_id, *data])
    assert revoked.exit_code == 0, revoked.output
    assert me(site, token) == 401
    assert "revoked" in runner.invoke(app, ["users", "token", "--list", *data], terminal_width=200).output
    assert runner.invoke(app, ["users", "token", "--revoke", "999999", *data]).exit_code == 2
