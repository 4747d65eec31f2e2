"""The ledger page: an owner uploads the example ledger and gets the report; members may not; bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import Server

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "ledger"


def _files(transfers: bytes | None = None) -> dict[str, tuple[str, bytes, str]]:
    files = {name: (f"{name}.csv", (EXAMPLES / f"{name}.csv").read_bytes(), "text/csv")
             for name in ("transfers", "people", "relations", "elections")}
    if transfers is not None:
        files["transfers"] = ("my-ledger.csv", transfers, "text/csv")
    return files


@pytest.fixture(scope="module")
def owner(server: Server):
    server.add_user("ledger-owner", "owner")
    return server.login("ledger-owner")


def test_an_owner_uploads_the_ledger_and_sees_the_report(owner) -> None:
    form = owner.http.get("/ledger")
    assert form.status_code == 200 and 'name="transfers"' in form.text
    response = owner.http.post("/ledger", files=_files(), data={"csrf_token": owner.csrf("/ledger"),
                                                                 "as_of": "2024-07-01"})
    assert response.status_code == 200, response.text[:500]
    assert "刘志明" in response.text and response.text.count('<tr class="finding"') == 13
    assert '<svg id="flows"' in response.text and '<svg id="timeline"' in response.text
    download = owner.http.post("/ledger", files=_files(), data={"csrf_token": owner.csrf("/ledger"),
                                                                 "as_of": "2024-07-01", "output": "html"})
    assert download.headers["content-disposition"] == 'attachment; filename="ledger-screening-2024-07-01.html"'


def test_a_bad_ledger_is_named_as_uploaded(owner) -> None:
    response = owner.http.post("/ledger", files=_files(b"id,time\nt1,2024-03-04\n"),
                               data={"csrf_token": owner.csrf("/ledger")})
    assert response.status_code == 422
    assert "my-ledger.csv 第 1 行：缺少列：kind, sender, receiver, amount" in response.text


def test_the_synthetic_demo_ledger(owner) -> None:
    response = owner.http.post("/ledger/demo", data={"csrf_token": owner.csrf("/ledger")})
    assert response.status_code == 200
    for rule in ("LED001", "LED002", "LED003", "LED004", "LED005", "LED006", "LED008", "ILL010"):
        assert f'data-rule="{rule}"' in response.text, rule


def test_members_cannot_screen_ledgers(server: Server) -> None:
    server.add_user("ledger-member", "member")
    member = server.login("ledger-member")
    assert member.http.get("/ledger").status_code in (303, 403)
