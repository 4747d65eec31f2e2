"""Flooding the reporting channel: filings (and reporter messages) per address per hour, counted in the
database across app instances; other addresses are unaffected."""

from __future__ import annotations

from .conftest import TIGHT, Site, new_address


def test_one_address_cannot_flood(site: Site) -> None:
    address = new_address()
    for n in range(TIGHT["report_per_hour"]):
        worker = n % 2  # alternate app instances: the count is shared
        filed = site.client(address, worker=worker).http.post("/api/reports", json={"text": f"洪水测试 {n}"})
        assert filed.status_code == 201
    refused = site.client(address, worker=1).http.post("/api/reports", json={"text": "再来一条"})
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
    page = site.client(address)
    form = page.form("/report", {"text": "网页提交"}, page="/report")
    assert form.status_code == 429 and "过于频繁" in form.text
    assert site.client().http.post("/api/reports", json={"text": "别处的举报"}).status_code == 201


def test_reporter_messages_count_as_filings(site: Site) -> None:
    address = new_address()
    client = site.client(address)
    receipt = client.http.post("/api/reports", json={"text": "留言洪水"}).json()["receipt"]
    for n in range(TIGHT["report_per_hour"] - 1):
        assert client.http.post(f"/api/reports/{receipt}/messages", json={"text": f"补充 {n}"}).status_code == 201
    assert client.http.post(f"/api/reports/{receipt}/messages", json={"text": "多余"}).status_code == 429
