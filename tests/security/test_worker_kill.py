"""Issue 18.4: scans are not crash-safe with `--workers 2`. Kill -9 the scanning worker mid-scan, kill -9 the
other (idle) worker, and stall the scanning worker past its lease: each time the job ends "done" with exactly
the findings an uninterrupted scan gives, none lost and none twice, on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import signal
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path

import pytest
from sqlalchemy import select

from qingfeng.core.models import Message
from qingfeng.ingest.archive import read_archive
from qingfeng.pipeline.engine import Checker
from qingfeng.samples.synth import Generator
from qingfeng.store.models import FindingRecord, ScanJob
from qingfeng.web.drafts import KIND_ROOMS

from .conftest import Service, database_url

MESSAGES = 8_000
# A short lease, so a dead worker's job is taken over in seconds; the watcher looks twice a second.
# (Under uvicorn's 5 s health check, which kills a worker that stops answering.)
FAST = {"job_lease_s": "2", "job_poll_s": "0.5"}

Key = tuple[int, str, int | None, int | None]


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("archive") / "synthetic.jsonl"
    path.write_bytes(b"".join(Generator(seed=18).lines(MESSAGES)))
    return path


@pytest.fixture(scope="module")
def expected(archive: Path) -> Counter[Key]:
    """The findings of the archive scanned in one go, by the checker the web app builds."""
    checker = Checker(lang="zh", rooms=KIND_ROOMS)
    found: Counter[Key] = Counter()
    for line, item in read_archive(archive):
        if isinstance(item, Message):
            found.update((line, f.rule, f.start, f.end) for f in checker.check(item))
    return found


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def cluster(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """`qingfeng serve --workers 2`, shared by the tests of one backend (uvicorn replaces a killed worker)."""
    server = Service(tmp_path_factory.mktemp("cluster") / "data", database_url(request.param), workers=2, **FAST)
    server.start()
    yield server
    server.stop()


def _job(server: Service, job_id: int) -> ScanJob:
    with server.sessions()() as db:
        job = db.get(ScanJob, job_id)
        assert job is not None
        return job


def _scanner(server: Service, job_id: int) -> int:
    """The pid of the worker holding the job, once it has stored a batch."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job = _job(server, job_id)
        if job.status != "queued" and job.checkpoint > 0 and job.lease_owner:
            assert job.status == "running", f"the job ended before it could be interrupted: {job.status}"
            return int(job.lease_owner.split(":")[1])
        time.sleep(0.05)
    raise AssertionError("the scan never stored a batch")


def _stored(server: Service, job_id: int) -> Counter[Key]:
    with server.sessions()() as db:
        rows = db.execute(
            select(FindingRecord.line, FindingRecord.rule, FindingRecord.start, FindingRecord.end).where(
                FindingRecord.job_id == job_id
            )
        )
        return Counter((line, rule, start, end) for line, rule, start, end in rows)


def _assert_complete(server: Service, job_id: int, expected: Counter[Key]) -> None:
    job = server.wait_job(job_id)
    assert job["status"] == "done", job
    assert job["messages"] == MESSAGES
    stored = _stored(server, job_id)
    assert sum(stored.values()) == sum(expected.values())
    assert stored == expected  # the same findings, each as often as once-through scanning finds it


def test_kill_the_scanning_worker(cluster: Service, archive: Path, expected: Counter[Key]) -> None:
    job_id = cluster.upload(archive)
    victim = _scanner(cluster, job_id)
    os.kill(victim, signal.SIGKILL)
    _assert_complete(cluster, job_id, expected)
    taker = _job(cluster, job_id).lease_owner or ""
    assert int(taker.split(":")[1]) != victim  # a living worker finished it


def test_kill_the_idle_worker(cluster: Service, archive: Path, expected: Counter[Key]) -> None:
    """The issue's "lock holder": the worker that is not scanning. Its death, and its replacement starting,
    must not touch the running job."""
    cluster.wait_workers()
    job_id = cluster.upload(archive)
    scanner = _scanner(cluster, job_id)
    idle = [pid for pid in cluster.worker_pids() if pid != scanner]
    assert idle, "no second worker"
    os.kill(idle[0], signal.SIGKILL)
    _assert_complete(cluster, job_id, expected)


def test_a_stalled_worker_cannot_write_after_its_job_was_taken_over(
    cluster: Service, archive: Path, expected: Counter[Key]
) -> None:
    """The scanning worker freezes past its lease (as under swap or a debugger), another takes the job over,
    then the first wakes up mid-batch: its batch must be refused, not stored beside the new worker's."""
    job_id = cluster.upload(archive)
    stalled = _scanner(cluster, job_id)
    for _attempt in range(3):
        if _stall_until_taken_over(cluster, job_id, stalled):
            break
    else:
        raise AssertionError("nobody took the stalled job over")
    _assert_complete(cluster, job_id, expected)
    if stalled in cluster.worker_pids():  # it woke up (not killed by the health check): it was fenced off
        assert f"scan job {job_id} was taken over by another worker" in cluster.log_path.read_text()


def _stall_until_taken_over(server: Service, job_id: int, pid: int) -> bool:
    """Stop the worker until another holds its job. A worker stopped inside a transaction holds the
    database's write lock (SQLite) or the job's row (PostgreSQL), so nobody can take over until it goes
    on: then wake it and try again at another moment."""
    try:
        os.kill(pid, signal.SIGSTOP)
    except ProcessLookupError:  # uvicorn's health check killed it during an earlier stall: the job goes on elsewhere
        return True
    try:
        deadline = time.monotonic() + float(FAST["job_lease_s"]) * 4
        while time.monotonic() < deadline:
            if (_job(server, job_id).lease_owner or "").split(":")[1] != str(pid):
                return True
            time.sleep(0.2)
        return False
    finally:
        with suppress(ProcessLookupError):  # uvicorn's health check may have killed it meanwhile
            os.kill(pid, signal.SIGCONT)
        time.sleep(0.5)
