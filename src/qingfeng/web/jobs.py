"""Archive scans in the background, durable across crashes and shared by every worker process.

A worker holds a job by a lease in the database (``lease_owner``, ``lease_until``), never by anything in its
own memory. It stores findings one batch at a time, each batch in one transaction with the job's checkpoint
(the last line whose findings are stored) and a renewal of its lease; a batch whose lease was taken over is
rolled back, so a job is never written by two workers. Every worker looks for jobs whose lease ran out
(their worker died) and takes them over from the checkpoint on: nothing stored twice, nothing lost.
The same loop deletes uploaded archives once their retention has passed.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from itertools import islice
from pathlib import Path

from fastapi import UploadFile
from sqlalchemy import delete, update
from sqlalchemy.orm import Session, sessionmaker

from qingfeng.core.i18n import t
from qingfeng.core.models import Finding, Message
from qingfeng.ingest.archive import gzip_errors, open_archive, read_records
from qingfeng.ingest.errors import InputError
from qingfeng.pipeline.engine import Checker
from qingfeng.pipeline.scan import BATCH, scan_records
from qingfeng.pipeline.stats import ScanStats
from qingfeng.store import crud
from qingfeng.store.models import FindingRecord, ScanJob, utcnow
from qingfeng.store.people import all_names
from qingfeng.web.core.config import Settings

log = logging.getLogger(__name__)
PROBLEMS_KEPT = 100


class UploadTooLarge(ValueError):
    pass


class QuotaFull(UploadTooLarge):
    """The owner's archives on the server would pass ``upload_quota_mb``."""


class LeaseLost(RuntimeError):
    """Another worker took the job over (this one stalled past its lease): stop without writing."""


def _safe_name(filename: str) -> str:
    name = Path(filename.replace("\\", "/")).name
    kept = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in name).lstrip(".")
    return kept[-120:] or "archive"


async def save_upload(upload: UploadFile, folder: Path, limit_bytes: int) -> Path:
    """Stream an uploaded archive to disk under a name nobody can choose (keeping its suffixes,
    which tell the reader the format), readable by the server's user alone."""
    path = folder / f"{uuid.uuid4().hex}-{_safe_name(upload.filename or 'archive')}"
    written = 0
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as sink:
        while chunk := await upload.read(1 << 20):
            written += len(chunk)
            if written > limit_bytes:
                sink.close()
                path.unlink()
                raise UploadTooLarge(f"larger than {limit_bytes // (1 << 20)} MB")
            sink.write(chunk)
    return path


def stored_bytes(db: Session, owner_id: int) -> int:
    """Bytes of the archives an owner has on the server now (for the upload quota)."""
    return sum(path.stat().st_size for path in map(Path, crud.stored_archives(db, owner_id=owner_id)) if path.exists())


async def save_archive(upload: UploadFile, db: Session, settings: Settings, owner_id: int) -> Path:
    """An archive to scan, saved within the upload limit and its owner's quota (QuotaFull past the quota)."""
    room = (settings.upload_quota_mb << 20) - stored_bytes(db, owner_id)
    limit = settings.max_upload_mb << 20
    try:
        return await save_upload(upload, settings.upload_dir, max(0, min(limit, room)))
    except UploadTooLarge:
        if room < limit:
            raise QuotaFull(f"over the quota of {settings.upload_quota_mb} MB") from None
        raise


def count_lines(archive_path: Path, settings: Settings) -> int:
    """Records expected, for the progress bar: the archive's lines, read within the limits (so a bomb
    fails here, before any scanning)."""
    with open_archive(archive_path, limits=settings.limits) as archive, gzip_errors(str(archive_path)):
        return sum(chunk.count(b"\n") for chunk in iter(lambda: archive.stream.read(1 << 20), b"")) or 1


@dataclass
class _Claim:
    """A job this worker holds, as it stood when claimed."""

    job_id: int
    owner: str  # the lease token
    owner_id: int
    path: Path
    filename: str
    checkpoint: int
    messages: int
    flagged: int
    bad_lines: int
    problems: list[str]

    @property
    def names(self) -> dict[str, str]:
        """The stored file as its owner named it (never the server's path), for InputProblem.describe."""
        return {str(self.path): self.filename}


class ScanRunner:
    """One scanning thread per process, and a watcher that claims unowned jobs when that thread is idle."""

    def __init__(self, sessions: sessionmaker[Session], checker: Checker, settings: Settings) -> None:
        self.sessions = sessions
        self.checker = checker
        self.settings = settings
        self.lease = timedelta(seconds=settings.job_lease_s)
        self.worker = f"{socket.gethostname()[:40]}:{os.getpid()}"
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="qingfeng-scan")
        self._waiting = 0  # jobs handed to the pool and not finished
        self._count = threading.Lock()
        self._stop = threading.Event()
        self._watcher = threading.Thread(target=self._watch, name="qingfeng-jobs", daemon=True)

    def start(self) -> None:
        """Begin watching for jobs to take over (queued ones left by a stopped server included)."""
        self._watcher.start()

    def submit(self, job_id: int) -> Future[None]:
        with self._count:
            self._waiting += 1
        return self._pool.submit(self._run_counted, job_id)

    def shutdown(self) -> None:
        self._stop.set()
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _run_counted(self, job_id: int) -> None:
        try:
            self.run(job_id)
        finally:
            with self._count:
                self._waiting -= 1

    def _watch(self) -> None:
        while True:
            try:
                if self._waiting == 0:
                    with self.sessions() as db:
                        job_id = crud.claimable_job(db, utcnow())
                    if job_id is not None:
                        self.submit(job_id)
                self.purge_uploads()
            except Exception:  # the watcher must outlive a database hiccup
                log.exception("job watcher")
            if self._stop.wait(self.settings.job_poll_s):
                return

    def purge_uploads(self) -> None:
        """Delete the uploaded archives of scans that ended more than the retention ago (the findings stay)."""
        before = utcnow() - timedelta(days=self.settings.upload_retention_days)
        uploads = self.settings.upload_dir.resolve()
        with self.sessions() as db:
            for stored in crud.stored_archives(db, finished_before=before):
                path = Path(stored)
                if path.resolve().parent == uploads:  # never a file outside the upload folder (the demo's sample)
                    path.unlink(missing_ok=True)
                    crud.forget_archive(db, stored)

    def run(self, job_id: int) -> None:
        """Scan one job to its end here and now, if no living worker holds it."""
        with self.sessions() as db:
            claim = self._claim(db, job_id)
            if claim is None:
                return
            try:
                self._scan(db, claim)
            except LeaseLost:
                db.rollback()
                log.warning("scan job %s was taken over by another worker", job_id)
            except InputError as error:
                self._fail(db, claim, error.describe(self.checker.lang, claim.names))
            except Exception:  # a scan must end as failed, never hang as running; the details go to the log
                log.exception("scan job %s failed", job_id)
                self._fail(db, claim, t("limit.job_failed", self.checker.lang))

    def _claim(self, db: Session, job_id: int) -> _Claim | None:
        """Take the job if it waits or its lease lapsed (one conditional UPDATE: one winner)."""
        now, token = utcnow(), f"{self.worker}:{uuid.uuid4().hex[:8]}"
        lapsed = (ScanJob.lease_until.is_(None)) | (ScanJob.lease_until < now)
        taken = db.execute(
            update(ScanJob)
            .where(ScanJob.id == job_id, ScanJob.status.in_(("queued", "running")), lapsed)
            .values(lease_owner=token, lease_until=now + self.lease, status="running")
        )
        if taken.rowcount != 1:
            db.rollback()
            return None
        job = db.get(ScanJob, job_id, populate_existing=True)
        assert job is not None
        # Findings past the checkpoint were never part of a committed batch; none should exist.
        db.execute(delete(FindingRecord).where(FindingRecord.job_id == job_id, FindingRecord.line > job.checkpoint))
        db.commit()
        return _Claim(
            job_id, token, job.owner_id, Path(job.stored_path), job.filename, job.checkpoint,
            job.messages, job.flagged, job.bad_lines, list(job.problems or []),
        )

    def _renew(self, db: Session, claim: _Claim, **values: object) -> None:
        """The first statement of each transaction: renew the lease (and set ``values``) or find it lost."""
        renewed = db.execute(
            update(ScanJob)
            .where(ScanJob.id == claim.job_id, ScanJob.lease_owner == claim.owner)
            .values({"lease_until": utcnow() + self.lease, **values})
        )
        if renewed.rowcount != 1:
            raise LeaseLost(claim.job_id)

    def _scan(self, db: Session, claim: _Claim) -> None:
        self._renew(db, claim, total=count_lines(claim.path, self.settings), rulebook=self.checker.rulebook.version)
        db.commit()
        stats = ScanStats(messages=claim.messages, flagged=claim.flagged, bad_lines=claim.bad_lines)
        problems = claim.problems
        names = all_names(db)  # archives that carry only ids get the people register's names
        for last_line, checked in self._batches(claim, stats):
            self._renew(db, claim)
            for line, message, findings in checked:
                for finding in findings:
                    record = crud.finding_record(finding, message, owner_id=claim.owner_id, line=line)
                    record.job_id = claim.job_id
                    record.sender_name = record.sender_name or names.get(record.sender or "")
                    db.add(record)
            kept = stats.problems[: PROBLEMS_KEPT - len(problems)]
            problems += [problem.describe(self.checker.lang, claim.names) for problem in kept]
            stats.problems.clear()
            db.execute(
                update(ScanJob)
                .where(ScanJob.id == claim.job_id)
                .values(
                    checkpoint=last_line, done=last_line, messages=stats.messages, flagged=stats.flagged,
                    bad_lines=stats.bad_lines, problems=list(problems),
                )
            )
            db.commit()
        finished = {"finished_at": utcnow(), "lease_until": None}
        if stats.messages == 0:
            finished |= {"status": "failed", "error": t("error.nothing_read", self.checker.lang, path=claim.filename)}
        else:
            finished |= {"status": "done", "done": ScanJob.total}
        self._renew(db, claim, **finished)
        db.commit()

    def _batches(
        self, claim: _Claim, stats: ScanStats
    ) -> Iterator[tuple[int, list[tuple[int, Message, list[Finding]]]]]:
        """(last line read, the checked messages) per batch of records after the checkpoint; every record
        of a batch is counted in ``stats`` before the batch is handed on, so a batch is stored whole."""
        with open_archive(claim.path, limits=self.settings.limits) as archive:
            records = ((line, item) for line, item in read_records(archive) if line > claim.checkpoint)
            while batch := list(islice(records, BATCH)):
                checked = [(c.line, c.message, c.findings) for c in scan_records(batch, self.checker, stats)]
                yield batch[-1][0], checked

    def _fail(self, db: Session, claim: _Claim, error: str) -> None:
        db.rollback()
        try:
            self._renew(db, claim, status="failed", error=error, finished_at=utcnow(), lease_until=None)
        except LeaseLost:
            db.rollback()
            return
        db.execute(delete(FindingRecord).where(FindingRecord.job_id == claim.job_id))
        db.commit()


