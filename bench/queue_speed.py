"""What the review queue costs on a large scan: one page, the header counts, a filtered page, a bulk decision,
the CSV and Excel exports, and a rescan of the same archive (which must add no queue items).

    python bench/queue_speed.py                                   # 50,000 synthetic messages, SQLite
    python bench/queue_speed.py --messages 20000 --database-url postgresql://qf:qf@127.0.0.1/qf_bench

Messages come from qingfeng.samples.synth (seed 0). The archive is scanned by the web app's own ScanRunner into a fresh
database; each timing is the median of --repeat runs of the store and export functions the API calls. Prints
one table.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select, text

from qingfeng.pipeline.engine import Checker
from qingfeng.samples.synth import Generator
from qingfeng.store import crud, review
from qingfeng.store.db import make_engine, migrate, normalize_url, session_factory, sqlite_url
from qingfeng.store.models import FindingRecord
from qingfeng.web.jobs import ScanRunner
from qingfeng.web.queue import People, export_rows, to_csv, to_xlsx


def timed(repeat: int, work: Callable[[], object]) -> float:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=50_000)
    parser.add_argument("--database-url", help="a PostgreSQL database to use (its public schema is dropped)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="qf-queue-bench-"))
    archive = folder / "archive.jsonl.gz"
    with gzip.open(archive, "wb") as sink:
        sink.writelines(Generator(seed=0).lines(args.messages))
    url = normalize_url(args.database_url) if args.database_url else sqlite_url(folder)
    engine = make_engine(url)
    if args.database_url:
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    migrate(engine)
    sessions = session_factory(engine)
    runner = ScanRunner(sessions, Checker())
    with sessions() as db:
        officer = crud.create_user(db, name="bench", password="bench-password", role="officer")
    rows: list[tuple[str, str]] = []

    def scan() -> None:
        with sessions() as db:
            job = crud.create_job(db, owner=officer, filename=archive.name, stored_path=str(archive))
        runner.run(job.id)

    started = time.perf_counter()
    scan()
    rows.append(("scan (ScanRunner, once)", f"{(time.perf_counter() - started):.1f} s"))
    with sessions() as db:
        findings = db.scalar(select(func.count(FindingRecord.id))) or 0
        where = review.QueueFilter()
        _, total = review.query_queue(db, viewer=officer, where=where, limit=1)
        rows.append(("messages · findings · queue items", f"{args.messages:,} · {findings:,} · {total:,}"))
        page = lambda: review.query_queue(db, viewer=officer, where=where, limit=50)  # noqa: E731
        rows.append(("queue, first page of 50 (ms)", f"{timed(args.repeat, page):.0f}"))
        deep = lambda: review.query_queue(db, viewer=officer, where=where, limit=50, offset=total // 2)  # noqa: E731
        rows.append(("queue, a page half-way down (ms)", f"{timed(args.repeat, deep):.0f}"))
        rows.append(("header counts (ms)", f"{timed(args.repeat, lambda: review.counts(db, viewer=officer)):.0f}"))
        narrow = review.QueueFilter(category="gifts", decision="open")
        filtered = lambda: review.query_queue(db, viewer=officer, where=narrow, limit=50)  # noqa: E731
        rows.append(("queue, category + decision filter (ms)", f"{timed(args.repeat, filtered):.0f}"))
        keys = [item.key for item in review.query_queue(db, viewer=officer, where=where, limit=50)[0]]
        bulk = lambda: review.decide(db, officer=officer, keys=keys, status="dismissed", note="bench", ip=None)  # noqa: E731
        rows.append(("bulk decision on 50 messages (ms)", f"{timed(args.repeat, bulk):.0f}"))
        items, _ = review.query_queue(db, viewer=officer, where=where, limit=100_000)
        people = People("bench", pseudonymise=False)
        csv_ms = timed(1, lambda: to_csv(export_rows(items, people, "zh")))
        xlsx_ms = timed(1, lambda: to_xlsx(export_rows(items, people, "zh"), "queue"))
        label = f"export of {len(items):,} rows: CSV · xlsx (ms, query excluded)"
        rows.append((label, f"{csv_ms:.0f} · {xlsx_ms:.0f}"))
        rows.append(("rule stats (ms)", f"{timed(args.repeat, lambda: review.rule_stats(db)):.0f}"))
    scan()
    with sessions() as db:
        _, again = review.query_queue(db, viewer=officer, where=review.QueueFilter(), limit=1)
        kept = review.query_queue(db, viewer=officer, where=review.QueueFilter(decision="dismissed"), limit=1)[1]
        rows.append(("queue items after a rescan · decisions kept", f"{again:,} · {kept}"))
    engine.dispose()

    print(f"review queue, {'PostgreSQL' if args.database_url else 'SQLite'}, median of {args.repeat}")
    print("| measure | value |\n| --- | --- |")
    for name, value in rows:
        print(f"| {name} | {value} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
