"""Archive scans in the background: one worker thread, progress written to the job row as it goes.

A job left queued or running by a stopped server is started again from the beginning on the next start
(its uploaded file is kept), so no half-scanned archive is ever shown as finished.
"""

from __future__ import annotations

import fcntl
import gzip
import logging
import time
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TextIO

from fastapi import UploadFile
from sqlalchemy import delete
from sqlalchemy.orm import Session, sessionmaker

from qingfeng.engine import Checker
from qingfeng.i18n import t
from qingfeng.ingest.archive import read_archive
from qingfeng.ingest.errors import InputError
from qingfeng.report.stats import ScanStats
from qingfeng.scan import scan_records
from qingfeng.store import crud
from qingfeng.store.models import FindingRecord, ScanJob, utcnow
from qingfeng.store.people import all_names

log = logging.getLogger(__name__)
PROGRESS_EVERY_S = 0.5
PROBLEMS_KEPT = 100


class UploadTooLarge(ValueError):
    pass


def _safe_name(filename: str) -> str:
    name = Path(filename.replace("\\", "/")).name
    kept = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in name).lstrip(".")
    return kept[-120:] or "archive"


async def save_upload(upload: UploadFile, folder: Path, limit_bytes: int) -> Path:
    """Stream an uploaded archive to disk under a name nobody can choose (keeping its suffixes,
    which tell the reader the format)."""
    path = folder / f"{uuid.uuid4().hex}-{_safe_name(upload.filename or 'archive')}"
    written = 0
    with path.open("wb") as sink:
        while chunk := await upload.read(1 << 20):
            written += len(chunk)
            if written > limit_bytes:
                sink.close()
                path.unlink()
                raise UploadTooLarge(f"larger than {limit_bytes // (1 << 20)} MB")
            sink.write(chunk)
    return path


def count_lines(path: Path) -> int:
    """Records expected, for the progress bar: the archive's lines (decompressed when gzipped)."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as stream:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: stream.read(1 << 20), b"")) or 1


class ScanRunner:
    def __init__(self, sessions: sessionmaker[Session], checker: Checker) -> None:
        self.sessions = sessions
        self.checker = checker
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="qingfeng-scan")
        self._lock: TextIO | None = None

    def submit(self, job_id: int) -> Future[None]:
        return self._pool.submit(self.run, job_id)

    def resume(self, lock_path: Path) -> None:
        """Restart unfinished jobs, in one process only: with several workers, the one that holds the
        lock file (for as long as it lives) does it, so a job is never scanned twice at once."""
        handle = lock_path.open("a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return
        self._lock = handle  # held until the process ends
        with self.sessions() as db:
            for job in crud.unfinished_jobs(db):
                db.execute(delete(FindingRecord).where(FindingRecord.job_id == job.id))
                job.status, job.done = "queued", 0
                db.commit()
                self.submit(job.id)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def run(self, job_id: int) -> None:
        """Scan one job to the end, here and now (the worker thread calls this)."""
        with self.sessions() as db:
            job = db.get(ScanJob, job_id)
            if job is None:
                return
            try:
                self._scan(db, job)
            except InputError as error:
                self._fail(db, job, error.describe(self.checker.lang, {job.stored_path: job.filename}))
            except Exception as error:  # a scan must end as failed, never hang as running
                log.exception("scan job %s failed", job_id)
                self._fail(db, job, f"{type(error).__name__}: {error}")

    def _scan(self, db: Session, job: ScanJob) -> None:
        path = Path(job.stored_path)
        job.status, job.total, job.rulebook = "running", count_lines(path), self.checker.rulebook.version
        db.commit()
        stats = ScanStats()
        shown = time.monotonic()
        names = all_names(db)  # archives that carry only ids get the people register's names
        for checked in scan_records(read_archive(path), self.checker, stats):
            for finding in checked.findings:
                record = crud.finding_record(finding, checked.message, owner_id=job.owner_id, line=checked.line)
                record.job_id = job.id
                record.sender_name = record.sender_name or names.get(record.sender or "")
                db.add(record)
            if time.monotonic() - shown >= PROGRESS_EVERY_S:
                job.done, job.messages, job.flagged = checked.line, stats.messages, stats.flagged
                db.commit()
                shown = time.monotonic()
        job.messages, job.flagged, job.bad_lines = stats.messages, stats.flagged, stats.bad_lines
        names = {job.stored_path: job.filename}  # the file as the uploader named it, never the server's path
        job.problems = [problem.describe(self.checker.lang, names) for problem in stats.problems[:PROBLEMS_KEPT]]
        job.done, job.finished_at = job.total, utcnow()
        if stats.messages == 0:
            job.status, job.error = "failed", t("error.nothing_read", self.checker.lang, path=job.filename)
        else:
            job.status = "done"
        db.commit()

    def _fail(self, db: Session, job: ScanJob, error: str) -> None:
        db.rollback()
        db.execute(delete(FindingRecord).where(FindingRecord.job_id == job.id))
        job.status, job.error, job.finished_at = "failed", error, utcnow()
        db.commit()
