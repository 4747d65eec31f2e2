"""Issue 18.2: a file of 4 GB of newlines (4 MB gzipped) ran past 300 s of CPU and every later scan waited
behind it. Now the line bound ends it in seconds, its job fails with the reason, and the next scan runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import RSS_BOUND, Service, gzip_bomb, peak_rss

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "scan" / "messages.jsonl"


@pytest.fixture(scope="module")
def flood(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return gzip_bomb(tmp_path_factory.mktemp("flood") / "newlines.jsonl.gz", b"\n")


def test_newline_flood_fails_its_job_and_the_next_scan_runs(service: Service, flood: Path) -> None:
    bombed = service.upload(flood)
    after = service.upload(SAMPLE)
    job = service.wait_job(bombed)
    assert job["status"] == "failed"
    assert "newlines.jsonl.gz" in job["error"] and "5,000,000" in job["error"]
    assert service.wait_job(after)["status"] == "done"
    assert peak_rss(service.worker_pids()[0]) < RSS_BOUND


def test_newline_flood_on_the_command_line(flood: Path) -> None:
    qingfeng = str(Path(sys.executable).parent / "qingfeng")
    done = subprocess.run([qingfeng, "scan", str(flood), "--lang", "en"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    assert "more than 5,000,000 lines" in done.stderr and "Traceback" not in done.stderr
    # The bound is a setting: raised, the same file is read further (and still refused at the new bound).
    wider = [qingfeng, "scan", str(flood), "--lang", "en", "--max-rows", "6000000"]
    done = subprocess.run(wider, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2 and "more than 6,000,000 lines" in done.stderr
