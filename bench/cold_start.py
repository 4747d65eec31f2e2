"""Start-up time: whole processes, as a user meets them.

    python bench/cold_start.py                      # 10 runs of each, this checkout
    python bench/cold_start.py --runs 20 --no-serve
    python bench/cold_start.py --baseline ../other/src   # also another tree's src/, runs interleaved

Bytecode is compiled first for each tree measured (as a wheel's installer does). Prints the median and p90 of:
- ``qingfeng check TEXT`` with a cold cache (an empty cache folder each run: what the first run after an install
  or a rulebook edit costs) and with a warm one (every later run), wall clock and CPU time (user + system: on a
  machine shared with other work it moves less than the wall clock);
- ``qingfeng serve``: from starting the process to its first HTTP response (any status), warm cache, SQLite.

``measure(runs=10) -> dict`` gives the same figures to other benchmarks (bench/scan_speed.py).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

TEXT = "你好，明天开会"
SCRIPT = "from qingfeng.cli import main; main()"  # what the `qingfeng` console script runs


def _environment(cache: Path, src: Path | None) -> dict[str, str]:
    env = {**os.environ, "QINGFENG_CACHE_DIR": str(cache)}
    env.pop("QINGFENG_RULEBOOK", None)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    return env


def _check_once(cache: Path, src: Path | None) -> tuple[float, float]:
    """Wall-clock and CPU (user + system) seconds of one `qingfeng check` process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", SCRIPT, "check", TEXT], env=_environment(cache, src),
                          capture_output=True, check=False)
    spent = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"qingfeng check failed ({done.returncode}): {done.stderr.decode()[-2000:]}")
    return spent, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def _compile_bytecode(src: Path | None) -> None:
    """Bytecode for every module of the tree, as a wheel's installer writes it: without it (an editable
    install under PYTHONDONTWRITEBYTECODE) each run would compile the package's sources again."""
    if src is None:
        spec = importlib.util.find_spec("qingfeng")
        assert spec is not None and spec.submodule_search_locations
        folder = Path(next(iter(spec.submodule_search_locations)))
    else:
        folder = src / "qingfeng"
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(folder)], check=True, capture_output=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve_once(cache: Path, src: Path | None, data: Path, limit: float = 60.0) -> float:
    port = _free_port()
    started = time.perf_counter()
    server = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, "serve", "--port", str(port), "--data-dir", str(data)],
        env=_environment(cache, src), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        while time.perf_counter() - started < limit:
            if server.poll() is not None:
                raise RuntimeError(f"qingfeng serve exited: {server.stderr.read().decode()[-2000:]}")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).close()
            except urllib.error.HTTPError:
                pass  # an answer all the same
            except OSError:
                time.sleep(0.01)
                continue
            return time.perf_counter() - started
        raise RuntimeError(f"qingfeng serve gave no answer within {limit:.0f} s")
    finally:
        server.terminate()
        server.wait(10)


def _summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {"median": statistics.median(ordered), "p90": ordered[min(len(ordered) - 1, round(0.9 * len(ordered)))],
            "runs": len(ordered)}


def measure(runs: int = 10, serve: bool = True, src: Path | None = None) -> dict[str, dict[str, float]]:
    """Seconds, median and p90 of ``runs`` whole processes: ``check_cold``, ``check_warm`` (wall clock; and the
    same as CPU time, ``check_cold_cpu`` and ``check_warm_cpu``, steadier on a shared machine) and (with
    ``serve``) ``serve_ready``. ``src``: measure the package found there instead of the installed one."""
    return _measure({"": src}, runs, serve)[""]


def _measure(trees: dict[str, Path | None], runs: int, serve: bool) -> dict[str, dict[str, dict[str, float]]]:
    """The same figures for several trees, their runs interleaved so that a busy machine weighs on all alike."""
    times: dict[str, dict[str, list[float]]] = {
        name: {"check_cold": [], "check_warm": [], "check_cold_cpu": [], "check_warm_cpu": []} for name in trees
    }
    with tempfile.TemporaryDirectory(prefix="qf-cold-start-") as scratch:
        root = Path(scratch)
        warm = {name: root / f"warm{number}" for number, name in enumerate(trees)}
        for name, src in trees.items():
            _compile_bytecode(src)
            _check_once(warm[name], src)  # fills the warm cache
        for run in range(runs):
            for number, (name, src) in enumerate(trees.items()):
                for what, cache in (("check_cold", root / f"cold{number}-{run}"), ("check_warm", warm[name])):
                    wall, cpu = _check_once(cache, src)
                    times[name][what].append(wall)
                    times[name][f"{what}_cpu"].append(cpu)
        if serve:
            for name in trees:
                times[name]["serve_ready"] = []
            for _ in range(runs):
                for number, (name, src) in enumerate(trees.items()):
                    data = root / f"data{number}"  # the first run also creates the database
                    times[name]["serve_ready"].append(_serve_once(warm[name], src, data))
    return {name: {what: _summary(values) for what, values in figures.items()} for name, figures in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--no-serve", action="store_true", help="leave out `qingfeng serve`")
    parser.add_argument("--baseline", type=Path, help="another tree's src/ folder, measured in the same run")
    args = parser.parse_args()
    trees: dict[str, Path | None] = {"this checkout": None}
    if args.baseline:
        trees["baseline"] = args.baseline.resolve()
    results = _measure(trees, args.runs, not args.no_serve)
    print(f"`qingfeng check {TEXT!r}` and `qingfeng serve`, whole processes, {args.runs} runs each (seconds)")
    print(f"{'tree':<15} {'what':<12} {'median':>8} {'p90':>8}")
    for name, figures in results.items():
        for what, summary in figures.items():
            print(f"{name:<15} {what:<12} {summary['median']:>8.3f} {summary['p90']:>8.3f}")
    if args.baseline:
        for what in results["this checkout"]:
            ratio = results["baseline"][what]["median"] / results["this checkout"][what]["median"]
            print(f"{what}: baseline median / this checkout's = {ratio:.1f}x")


if __name__ == "__main__":
    main()
