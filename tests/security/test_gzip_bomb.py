"""Issue 18.2: gzip bombs. A 4 MB .gz that expands to 4 GB, uploaded as an archive to scan and as a groups-audit
archive, and scanned by the CLI: each is refused with a message naming the bound and the file as the user named
it, the server's memory stays under 1 GB, and other users' requests are answered meanwhile."""

from __future__ import annotations

import gzip
import resource
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from qingfeng.ingest.archive import read_archive
from qingfeng.ingest.limits import LimitExceeded, Limits

from .conftest import RSS_BOUND, Service, gzip_bomb, peak_rss

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "groups"


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return gzip_bomb(tmp_path_factory.mktemp("bomb") / "export.jsonl.gz", b"\0")


def _others_answered(service: Service, during) -> None:  # type: ignore[no-untyped-def]
    """Run ``during`` while another user checks drafts: every check is answered (in the client's timeout)."""
    with ThreadPoolExecutor(2) as pool:
        attack = pool.submit(during)
        with service.client(timeout=15) as http:
            answers = [http.post("/api/check", json={"text": f"第{i}次自查"}).status_code for i in range(20)]
        attack.result()
    assert answers == [200] * 20


def test_gzip_bomb_as_a_scan_upload_fails_its_own_job(service: Service, bomb: Path) -> None:
    job: dict = {}

    def attack() -> None:
        job.update(service.wait_job(service.upload(bomb, "聊天记录.jsonl.gz")))

    _others_answered(service, attack)
    assert job["status"] == "failed"
    assert "聊天记录.jsonl.gz" in job["error"] and "上限" in job["error"]
    assert str(service.data_dir) not in job["error"]
    assert peak_rss(service.worker_pids()[0]) < RSS_BOUND


def test_gzip_bomb_as_a_groups_audit_archive_is_refused(service: Service, bomb: Path) -> None:
    files = {name: (f"{name}.csv", (EXAMPLES / f"{name}.csv").read_bytes()) for name in ("groups", "members", "people")}
    answer: dict = {}

    def attack() -> None:
        with service.client(timeout=120) as http, bomb.open("rb") as archive:
            response = http.post("/api/groups/audit", files={**files, "archive": ("群聊.jsonl.gz", archive)})
        answer.update(status=response.status_code, detail=response.json()["detail"])

    _others_answered(service, attack)
    assert answer["status"] == 422
    assert "群聊.jsonl.gz" in answer["detail"] and "上限" in answer["detail"]
    assert str(service.data_dir) not in answer["detail"]
    assert peak_rss(service.worker_pids()[0]) < RSS_BOUND


def test_gzip_bomb_on_the_command_line_exits_2_without_a_traceback(bomb: Path) -> None:
    qingfeng = str(Path(sys.executable).parent / "qingfeng")
    done = subprocess.run([qingfeng, "scan", str(bomb)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    assert "上限" in done.stderr and bomb.name in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024 < RSS_BOUND


def test_a_bomb_of_valid_lines_stops_at_the_decompressed_bound(tmp_path: Path) -> None:
    """Lines within every other bound: only the decompressed size can stop it (lowered here to 1 MB)."""
    path = tmp_path / "valid.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"text": "\xe4\xbd\xa0\xe5\xa5\xbd"}\n' * 200_000))  # 4 MB expanded
    qingfeng = str(Path(sys.executable).parent / "qingfeng")
    done = subprocess.run([qingfeng, "scan", str(path), "--lang", "en", "--max-decompressed-mb", "1"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert f"{path}: larger than 1 MB once decompressed" in done.stderr


def test_a_csv_past_its_cells_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text("text,room_name,sender_name\n" + "好的,办公室群,张三\n" * 40, encoding="utf-8")
    with pytest.raises(LimitExceeded) as refused:
        list(read_archive(path, limits=Limits(cells=100)))
    assert refused.value.text("zh", "导出.csv") == "导出.csv:35：表格超过 100 个单元格的上限，已停止读取。"
    assert len(list(read_archive(path, limits=Limits(cells=120)))) == 40
