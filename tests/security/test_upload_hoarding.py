"""Issue 18.8: uploads were kept forever, with no quota. Now an archive is deleted `upload_retention_days` after
its scan ends (its findings stay), and an owner's archives on the server are held to `upload_quota_mb`."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import Service


@pytest.fixture(scope="module")
def hoard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    server = Service(tmp_path_factory.mktemp("hoard") / "data", None, upload_retention_days="0",
                     upload_quota_mb="1", job_poll_s="0.5")
    server.start()
    yield server
    server.stop()


def _archive(folder: Path, name: str, kilobytes: int) -> Path:
    path = folder / name
    line = '{"text": "这份材料是机密件，看完删掉"}\n'.encode()
    path.write_bytes(line * (kilobytes * 1024 // len(line)))
    return path


def test_an_archive_is_deleted_after_its_retention_and_its_findings_stay(hoard: Service, tmp_path: Path) -> None:
    job = hoard.wait_job(hoard.upload(_archive(tmp_path, "a.jsonl", 100)))
    assert job["status"] == "done" and job["flagged"] > 0
    deadline = time.monotonic() + 30
    while any((hoard.data_dir / "uploads").iterdir()):
        assert time.monotonic() < deadline, "the archive outlived its retention of 0 days"
        time.sleep(0.2)
    with hoard.client() as http:
        assert http.get(f"/api/scans/{job['id']}").json()["flagged"] == job["flagged"]


def test_an_owner_past_the_quota_is_refused(hoard: Service, tmp_path: Path) -> None:
    big = _archive(tmp_path, "b.jsonl", 700)
    with hoard.client() as http:
        # The quota counts what is stored now: hold one archive back from deletion by uploading two at once.
        first = http.post("/api/scans", files={"file": ("b.jsonl", big.read_bytes())})
        second = http.post("/api/scans", files={"file": ("c.jsonl", big.read_bytes())})
    assert first.status_code == 202
    assert second.status_code == 413 and "quota" in second.json()["detail"]
