"""Issue 18.1: unauthenticated denial of service through /api/check. Bodies of 20 MB (two at once) and 100 MB
are refused with 413 from their Content-Length, a body sent without one (chunked) is refused as soon as it
passes the bound, other requests are answered meanwhile, and the server's memory stays under 1 GB."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx

from .conftest import RSS_BOUND, Service, peak_rss

MB = 1 << 20


def _draft(size: int) -> bytes:
    return b'{"text": "' + "机密".encode() * (size // 6) + b'"}'


def _post(service: Service, body: bytes | Iterator[bytes]) -> int:
    with httpx.Client(base_url=service.base, timeout=30) as http:
        try:
            return http.post("/api/check", content=body, headers={"content-type": "application/json"}).status_code
        except httpx.RemoteProtocolError:  # the server answered 413 and closed while the body was still going
            return 413


def test_two_20_mb_drafts_at_once_and_a_100_mb_draft(service: Service) -> None:
    bodies = [_draft(20 * MB), _draft(20 * MB), _draft(100 * MB)]
    with ThreadPoolExecutor(3) as pool:
        statuses = list(pool.map(lambda body: _post(service, body), bodies))
        with service.client(timeout=15) as http:  # another user meanwhile
            assert http.post("/api/check", json={"text": "下午三点开会"}).status_code == 200
    assert statuses == [413, 413, 413]
    assert peak_rss(service.worker_pids()[0]) < RSS_BOUND


def test_a_large_draft_without_content_length_is_cut_off(service: Service) -> None:
    sent = 0

    def chunks() -> Iterator[bytes]:
        nonlocal sent
        yield b'{"text": "'
        for _ in range(100):  # 100 MB, if the server kept reading
            sent += MB
            yield b"a" * MB
        yield b'"}'

    assert _post(service, chunks()) == 413
    assert sent < 100 * MB
    assert peak_rss(service.worker_pids()[0]) < RSS_BOUND


def test_a_draft_under_the_bound_is_still_checked(service: Service) -> None:
    with service.client() as http:
        answer = http.post("/api/check", content=_draft(60 * 1024), headers={"content-type": "application/json"})
    assert answer.status_code == 200
    assert any(finding["category"] == "secrecy" for finding in answer.json()["findings"])


def test_other_form_bodies_are_bounded_too(service: Service) -> None:
    with httpx.Client(base_url=service.base, timeout=30) as http:
        answer = http.post("/login", content=b"name=" + b"a" * (9 * MB), headers={
            "content-type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 413
