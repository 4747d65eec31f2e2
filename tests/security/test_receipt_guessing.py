"""Guessing receipt codes: 80 random bits, and after a few wrong codes from one address every look-up from it
is refused for a while (the right code too), on the page and the API alike; answers are never cached."""

from __future__ import annotations

from qingfeng.store.security import RECEIPT_ALPHABET, new_receipt

from .conftest import TIGHT, Site, new_address


def test_wrong_codes_lock_the_guesser_out(site: Site) -> None:
    receipt = site.client().http.post("/api/reports", json={"text": "回执测试"}).json()["receipt"]
    guesser = new_address()
    for n in range(TIGHT["receipt_failures"]):
        worker = n % 2
        assert site.client(guesser, worker=worker).http.get(f"/api/reports/{new_receipt()}").status_code == 404
    locked = site.client(guesser).http.get(f"/api/reports/{receipt}")
    assert locked.status_code == 429 and locked.headers["cache-control"] == "no-store"
    page = site.client(guesser).form("/report/status", {"code": receipt}, page="/report")
    assert page.status_code == 429
    assert site.client().http.get(f"/api/reports/{receipt}").status_code == 200  # its holder, elsewhere


def test_receipt_answers_are_not_cached(site: Site) -> None:
    client = site.client()
    filed = client.http.post("/api/reports", json={"text": "缓存测试"})
    receipt = filed.json()["receipt"]
    assert filed.headers["cache-control"] == "no-store"
    assert client.http.get(f"/api/reports/{receipt}").headers["cache-control"] == "no-store"
    assert client.http.get("/api/reports/AAAA-BBBB-CCCC-DDDD").headers["cache-control"] == "no-store"
    page = client.form("/report", {"text": "网页回执"}, page="/report")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    status = client.form("/report/status", {"code": receipt}, page="/report")
    assert status.status_code == 200 and status.headers["cache-control"] == "no-store"
    assert "/report/status?code=" not in page.text  # the code is never put in an address


def test_codes_are_80_random_bits() -> None:
    codes = {new_receipt().replace("-", "") for _ in range(2000)}
    assert len(codes) == 2000 and all(len(c) == 16 and set(c) <= set(RECEIPT_ALPHABET) for c in codes)
    assert len(RECEIPT_ALPHABET) ** 16 == 2**80
