"""What a large archive scan costs: throughput, the Aho-Corasick floor, draft latency, and peak memory.

    python bench/scan_speed.py                               # 1,000,000 messages, a 1 GB archive
    python bench/scan_speed.py --messages 100000 --archive-mb 100

Every message comes from qingfeng.samples.synth (seed 0: the same archive each run). Prints one table:
- engine, one core: Checker(fast=True).check_batch over the messages, already parsed (the rule-based engine:
  statistical-model rules left out), and the full engine as `qingfeng check` runs it;
- bare pyahocorasick: an automaton of the engine's own term list over the same normalised-by-nothing texts, in
  the same run: one ``iter`` per text, and one ``iter`` over each batch joined (the faster is the floor);
- scan pipeline: parse + check of the JSONL archive by qingfeng.pipeline.scan.scan_archive, --jobs 1 and 2;
- one 200-character draft through Checker.check, p50 and p99;
- peak RSS of `qingfeng scan ARCHIVE --format jsonl` over an archive of --archive-mb (whole process tree).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import ahocorasick

from qingfeng.core.models import Message
from qingfeng.ingest.archive import open_archive
from qingfeng.pipeline.engine import Checker
from qingfeng.pipeline.scan import scan_archive
from qingfeng.pipeline.stats import ScanStats
from qingfeng.samples.synth import Generator

BATCH = 1000
DRAFT = (
    "各位同事：接上级通知，本周五下午三点在五楼会议室召开年度预算执行分析会，请各科室负责人带上本科室"
    "一季度预算执行表准时参加。另外，会后请把名单内部资料不得外传的那份稽查名单发我微信，我今晚要看。"
    "联系人王敏，电话13912345678。如有特殊情况不能参会，请提前向办公室请假并说明原因，谢谢大家配合。"
    "会议期间请将手机调至静音，会议材料会后统一收回，不要带离会场，也不要拍照外传到群里。县财政局办公室敬上"
)


def batches(count: int) -> Iterator[list[Message]]:
    generator = Generator(seed=0)
    batch: list[Message] = []
    for record in generator.records(count):
        batch.append(Message.model_validate(record))
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def engine_and_floor(count: int) -> dict[str, float]:
    fast, full = Checker(fast=True), Checker()
    automaton = ahocorasick.Automaton()
    for term in fast.terms:
        automaton.add_word(term, term)
    automaton.make_automaton()
    spent = {"fast": 0.0, "full": 0.0, "per_text": 0.0, "joined": 0.0}
    sample_full = count // 10  # the full engine is slow: a tenth of the messages is enough for its rate
    seen = 0
    for batch in batches(count):
        texts = [message.text for message in batch]
        started = time.perf_counter()
        fast.check_batch(batch)
        spent["fast"] += time.perf_counter() - started
        if seen < sample_full:
            started = time.perf_counter()
            full.check_batch(batch)
            spent["full"] += time.perf_counter() - started
        started = time.perf_counter()
        for text in texts:
            for _ in automaton.iter(text):
                pass
        spent["per_text"] += time.perf_counter() - started
        started = time.perf_counter()
        for _ in automaton.iter("\x00".join(texts)):
            pass
        spent["joined"] += time.perf_counter() - started
        seen += len(batch)
    rates = {name: count / seconds for name, seconds in spent.items() if name != "full"}
    rates["full"] = min(seen, sample_full) / spent["full"]
    rates["terms"] = len(fast.terms)
    return rates


def pipeline(path: Path, jobs: int) -> float:
    checker, stats = Checker(fast=True), ScanStats()
    started = time.perf_counter()
    with open_archive(path) as archive:
        for _ in scan_archive(archive, checker, stats, jobs=jobs):
            pass
    return stats.messages / (time.perf_counter() - started)


def latency(runs: int = 3000) -> tuple[float, float, float, float]:
    assert len(DRAFT) == 200, len(DRAFT)
    figures = []
    for checker in (Checker(fast=True), Checker()):
        message = Message(text=DRAFT, channel="group", room_name="县财政局办公室工作群")
        for _ in range(200):
            checker.check(message)
        times = []
        for n in range(runs):
            message = Message(text=DRAFT[:-1] + str(n % 10), channel="group", room_name="县财政局办公室工作群")
            started = time.perf_counter()
            checker.check(message)
            times.append((time.perf_counter() - started) * 1000)
        cuts = statistics.quantiles(times, n=100)
        figures += [cuts[49], cuts[98]]
    return figures[0], figures[1], figures[2], figures[3]


def write_archive(path: Path, megabytes: int) -> int:
    limit, written, count = megabytes * 1024 * 1024, 0, 0
    generator = Generator(seed=0)
    with path.open("wb") as out:
        while written < limit:
            for line in generator.lines(10_000):
                out.write(line)
                written += len(line)
                count += 1
    return count


def _tree_rss(root: int) -> int:
    """Resident bytes of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            status = Path(f"/proc/{entry}/status").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry))
        rss[int(entry)] = next((int(line.split()[1]) * 1024 for line in status.splitlines()
                                if line.startswith("VmRSS:")), 0)
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, ()))
    return total


def peak_rss(path: Path, jobs: int, folder: Path) -> tuple[float, float]:
    command = [sys.executable, "-m", "qingfeng", "scan", str(path), "--format", "jsonl",
               "--out", str(folder / "findings.jsonl"), "--jobs", str(jobs)]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(process.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample)
    sampler.start()
    process.wait()
    done.set()
    sampler.join()
    return peak / 2**20, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--archive-mb", type=int, default=1024, help="size of the archive for peak memory; 0 skips")
    args = parser.parse_args()
    rows: list[tuple[str, str]] = []
    rates = engine_and_floor(args.messages)
    floor = max(rates["per_text"], rates["joined"])
    rows += [
        (f"engine fast (rule-based), 1 core, {args.messages:,} msgs", f"{rates['fast']:,.0f} msg/s"),
        ("engine full (with model rules), 1 core", f"{rates['full']:,.0f} msg/s"),
        (f"bare pyahocorasick, {rates['terms']:,.0f} terms, iter per text", f"{rates['per_text']:,.0f} msg/s"),
        ("bare pyahocorasick, iter per joined batch", f"{rates['joined']:,.0f} msg/s"),
        ("engine fast / floor (slowdown)", f"{floor / rates['fast']:.1f}x"),
    ]
    with tempfile.TemporaryDirectory(prefix="qingfeng-bench-") as temporary:
        folder = Path(temporary)
        small = folder / "pipeline.jsonl"
        write_archive(small, max(1, args.messages * 300 // 2**20))
        for jobs in (1, 2):
            rows.append((f"scan pipeline (parse + fast engine), --jobs {jobs}", f"{pipeline(small, jobs):,.0f} msg/s"))
        p50, p99, full50, full99 = latency()
        rows += [
            ("200-char draft, fast engine, p50 / p99", f"{p50:.3f} / {p99:.3f} ms"),
            ("200-char draft, full engine, p50 / p99", f"{full50:.3f} / {full99:.3f} ms"),
        ]
        if args.archive_mb:
            large = folder / "large.jsonl"
            count = write_archive(large, args.archive_mb)
            size = large.stat().st_size / 2**20
            for jobs in (1, 2):
                peak, seconds = peak_rss(large, jobs, folder)
                rows.append((f"`qingfeng scan` {size:,.0f} MB ({count:,} msgs), --jobs {jobs}: peak RSS, time",
                             f"{peak:,.0f} MB, {seconds:,.0f} s"))
    width = max(len(name) for name, _ in rows)
    print(f"{'measure':{width}}  figure")
    for name, figure in rows:
        print(f"{name:{width}}  {figure}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
