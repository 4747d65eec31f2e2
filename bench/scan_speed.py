"""What checking costs, as ratios against the bare automaton pass with JSON parsing over the same file.

    python bench/scan_speed.py                                  # 100,000 messages; a 1 GB archive for memory
    python bench/scan_speed.py --messages 20000 --archive-mb 0  # quick: no large archive

The archive is qingfeng.samples.synth (seed 0) with --problems of its messages problems drawn from the
rulebook's fire examples (default 0.3: about 70 % clean, the mix of a month of a county's chats) and the
rest its clean templates; the table's first line says the share it got. One table, in one run:

- floor: the bare automaton pass with JSON parsing, the least any checker must do: every line parsed by
  orjson, its text searched by ahocorasick-rs with the engine's own terms (every overlapping occurrence);
- parsing alone: orjson per line and ``Message.model_validate`` (what the scan does), and pyarrow's
  multi-threaded JSON reader into columns (what it could do instead);
- the full engine (``Checker()``, models included, as `qingfeng check` and `qingfeng scan` run it) and the
  rule-only engine (``Checker(fast=True)``) on the parsed messages, batches of 1,000, one core;
- the scan pipeline (parse, check, write the finding records as JSON lines: `qingfeng scan --format jsonl` after
  start-up) with --jobs 1 and 2 (this process and one forked worker), full engine;
- one 200-character draft through ``Checker().check``, p50 and p99;
- CLI start: the median of 10 whole `qingfeng check` processes, warm and cold rulebook cache
  (``bench/cold_start.measure``);
- peak memory of ``qingfeng scan ARCHIVE --format jsonl`` over an archive of --archive-mb (whole process tree):
  RSS summed over the processes, and PSS (shared pages split between the processes that share them), and the time.

Rates are messages per wall-clock second and per CPU second (this process and its workers; steadier on a
shared machine); "x floor" is how many times slower than the floor, by each. Compare figures of one run only.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import ahocorasick_rs
import orjson

from cold_start import measure  # bench/, beside this script
from qingfeng.core.models import Message
from qingfeng.ingest.archive import open_archive
from qingfeng.pipeline.engine import Checker
from qingfeng.pipeline.scan import jsonl, scan_parts
from qingfeng.pipeline.stats import ScanStats
from qingfeng.samples.synth import Generator

BATCH = 1000
DRAFT = (
    "各位同事：接上级通知，本周五下午三点在五楼会议室召开年度预算执行分析会，请各科室负责人带上本科室"
    "一季度预算执行表准时参加。另外，会后请把名单内部资料不得外传的那份稽查名单发我微信，我今晚要看。"
    "联系人王敏，电话13912345678。如有特殊情况不能参会，请提前向办公室请假并说明原因，谢谢大家配合。"
    "会议期间请将手机调至静音，会议材料会后统一收回，不要带离会场，也不要拍照外传到群里。县财政局办公室敬上"
)


def write_archive(path: Path, count: int, problems: float) -> float:
    """``count`` synthetic records; the share of them that are clean."""
    generator = Generator(seed=0, problem_share=problems)
    with path.open("wb") as out:
        for line in generator.lines(count):
            out.write(line)
    return generator.mix.clean / max(1, generator.mix.messages)


def write_large(path: Path, megabytes: int, problems: float) -> int:
    limit, written, count = megabytes * 1024 * 1024, 0, 0
    generator = Generator(seed=0, problem_share=problems)
    with path.open("wb") as out:
        while written < limit:
            for line in generator.lines(10_000):
                out.write(line)
                written += len(line)
                count += 1
    return count


def _cpu(children_only: bool = False) -> float:
    """CPU seconds of this process and of its finished children (the worker processes of --jobs 2)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    if children_only:
        return children.ru_utime + children.ru_stime
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _rate(count: int, run: Callable[[], object]) -> tuple[float, float]:
    """Messages per wall-clock second and per CPU second."""
    started, cpu = time.perf_counter(), _cpu()
    run()
    return count / (time.perf_counter() - started), count / (_cpu() - cpu)


def floor(path: Path, terms: list[str]) -> Callable[[], None]:
    automaton = ahocorasick_rs.AhoCorasick(terms)

    def run() -> None:
        find = automaton.find_matches_as_indexes
        with path.open("rb") as stream:
            for line in stream:
                find(orjson.loads(line).get("text") or "", overlapping=True)

    return run


def parse_models(path: Path) -> list[Message]:
    with path.open("rb") as stream:
        return [Message.model_validate(orjson.loads(line)) for line in stream]


def parse_orjson(path: Path) -> None:
    with path.open("rb") as stream:
        for line in stream:
            orjson.loads(line)


def parse_arrow(path: Path) -> None:
    import pyarrow.json

    table = pyarrow.json.read_json(path)
    for name in ("time", "channel", "room", "room_name", "type", "text", "amount"):
        if name in table.column_names:
            table.column(name).to_pylist()


def engine(checker: Checker, messages: list[Message]) -> Callable[[], None]:
    def run() -> None:
        for start in range(0, len(messages), BATCH):
            checker.check_batch(messages[start : start + BATCH])

    return run


def pipeline(path: Path, jobs: int, checker: Checker, out: Path) -> Callable[[], None]:
    """What `qingfeng scan --format jsonl` does after start-up: parse, check, write the finding records."""

    def run() -> None:
        with open_archive(path) as archive, out.open("wb") as sink:
            for part in scan_parts(archive, checker, ScanStats(), jsonl, jobs=jobs):
                sink.write(part)

    return run


def latency(runs: int = 2000) -> tuple[float, float]:
    assert len(DRAFT) == 200, len(DRAFT)
    checker = Checker()
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
    return cuts[49], cuts[98]


def _command() -> list[str]:
    script = Path(sys.executable).with_name("qingfeng")
    return [str(script)] if script.exists() else [sys.executable, "-m", "qingfeng"]


def _tree_memory(root: int) -> tuple[int, int]:
    """Resident bytes of a process and all its descendants, from /proc: the sum of their RSS (which counts the
    pages that forked workers share with their parent once per process) and of their PSS (each shared page
    split between the processes sharing it: what the tree really holds)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        children.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry))
    rss = pss = 0
    stack = [root]
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, ()))
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
        except OSError:
            continue
        fields = {line.split(":")[0]: int(line.split()[1]) * 1024 for line in rollup[1:] if line.endswith("kB")}
        rss += fields.get("Rss", 0)
        pss += fields.get("Pss", 0)
    return rss, pss


def peak_memory(path: Path, jobs: int, folder: Path) -> tuple[float, float, float, float]:
    """Peak RSS and peak PSS (MB) of `qingfeng scan` over ``path``, and the wall-clock and CPU seconds it took
    (its workers' included; the findings are left in ``folder``/findings.jsonl). The compiled-rulebook
    cache is a folder of its own, made current first: in the shared user cache another checkout's runs can evict
    this one's artefacts, and rebuilding them at start-up would add a passing ~50 MB to the peak."""
    environment = {**os.environ, "QINGFENG_CACHE_DIR": str(folder / "cache")}
    subprocess.run([*_command(), "check", "你好"], env=environment, stdout=subprocess.DEVNULL, check=False)
    command = [*_command(), "scan", str(path), "--format", "jsonl", "--out", str(folder / "findings.jsonl"),
               "--jobs", str(jobs)]
    started, cpu = time.perf_counter(), _cpu(children_only=True)
    process = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = [0, 0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[:] = map(max, peak, _tree_memory(process.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample)
    sampler.start()
    process.wait()
    done.set()
    sampler.join()
    return peak[0] / 2**20, peak[1] / 2**20, time.perf_counter() - started, _cpu(children_only=True) - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--problems", type=float, default=0.3, help="share of problem messages (default 0.3)")
    parser.add_argument("--archive-mb", type=int, default=1024, help="size of the archive for peak memory; 0 skips")
    args = parser.parse_args()
    rows: list[tuple[str, str, str]] = []
    full, fast = Checker(), Checker(fast=True)
    with tempfile.TemporaryDirectory(prefix="qingfeng-bench-") as temporary:
        folder = Path(temporary)
        path = folder / "mix.jsonl"
        clean = write_archive(path, args.messages, args.problems)
        count = args.messages
        base = _rate(count, floor(path, sorted(full.terms)))

        def row(name: str, rate: tuple[float, float]) -> None:
            rows.append((name, f"{rate[0]:,.0f} / {rate[1]:,.0f} msg/s",
                         f"{base[0] / rate[0]:.1f}x / {base[1] / rate[1]:.1f}x"))

        megabytes = path.stat().st_size / 2**20
        rows.append((f"archive: {count:,} synthetic messages, {clean:.1%} clean ({megabytes:,.0f} MB)", "", ""))
        row(f"floor: orjson + ahocorasick-rs, {len(full.terms):,} terms", base)
        row("parse: orjson only", _rate(count, lambda: parse_orjson(path)))
        row("parse: orjson + Message.model_validate", _rate(count, lambda: parse_models(path)))
        row("parse: pyarrow.json.read_json into columns", _rate(count, lambda: parse_arrow(path)))
        messages = parse_models(path)
        engine(full, messages[:BATCH])()  # warm: models loaded, caches filled
        engine(fast, messages[:BATCH])()
        row("engine full (models included), 1 core", _rate(count, engine(full, messages)))
        row("engine rule-only (fast=True), 1 core", _rate(count, engine(fast, messages)))
        for jobs in (1, 2):
            run = pipeline(path, jobs, full, folder / f"findings{jobs}.jsonl")
            row(f"scan pipeline (parse, full engine, write JSONL), --jobs {jobs}", _rate(count, run))
        p50, p99 = latency()
        rows.append(("200-char draft, full engine: p50 / p99", f"{p50:.3f} / {p99:.3f} ms", ""))
        started = measure(runs=10, serve=False)  # bench/cold_start.py: whole `qingfeng check` processes
        rows.append(("`qingfeng check` start, median of 10: warm cache / cold cache",
                     f"{started['check_warm']['median']:.2f} / {started['check_cold']['median']:.2f} s", ""))
        if args.archive_mb:
            large = folder / "large.jsonl"
            written = write_large(large, args.archive_mb, args.problems)
            size = large.stat().st_size / 2**20
            for jobs in (1, 2):
                rss, pss, seconds, _ = peak_memory(large, jobs, folder)
                rows.append((f"`qingfeng scan` {size:,.0f} MB ({written:,} msgs), --jobs {jobs}: peak RSS / PSS",
                             f"{rss:,.0f} / {pss:,.0f} MB", f"{seconds:,.0f} s"))
    width = max(len(name) for name, _, _ in rows)
    print(f"{'measure':{width}}  {'wall / CPU':>24}  x floor (wall / CPU)")
    for name, figure, ratio in rows:
        print(f"{name:{width}}  {figure:>24}  {ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
