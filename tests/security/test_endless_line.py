"""Issue 18.2: a line without a newline was read whole. Now a line past `max_line_kb` ends the read: the
upload's job fails naming the file and line, the CLI exits 2; memory stays bounded."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import RSS_BOUND, Service, peak_rss


@pytest.fixture(scope="module")
def endless(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("endless") / "records.jsonl"
    with path.open("wb") as sink:
        sink.write(b'{"text": "ok"}\n{"text": "')
        for _ in range(64):
            sink.write(b"\xe5\x95\x8a" * (1 << 18))  # 48 MB of 啊, never closed, no newline
    return path


def test_endless_line_fails_its_job(service: Service, endless: Path) -> None:
    job = service.wait_job(service.upload(endless, "群聊导出.jsonl"))
    assert job["status"] == "failed"
    assert "群聊导出.jsonl:2" in job["error"] and "1024 KB" in job["error"]
    assert peak_rss(service.worker_pids()[0]) < RSS_BOUND


def test_endless_line_on_the_command_line(endless: Path) -> None:
    qingfeng = str(Path(sys.executable).parent / "qingfeng")
    done = subprocess.run([qingfeng, "scan", str(endless), "--lang", "en"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert f"{endless}:2: this line is longer than 1024 KB" in done.stderr
    assert "Traceback" not in done.stderr
