"""Issue 18.8: the database, its WAL file and uploaded archives were world-readable (0644). Now the data folder
is 0700 and everything the server writes in it 0600, for a new folder and for one made readable before."""

from __future__ import annotations

import stat
from pathlib import Path

from .conftest import Service

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "scan" / "messages.jsonl"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_data_folder_and_its_files_are_the_servers_alone(service: Service) -> None:
    assert service.wait_job(service.upload(SAMPLE))["status"] == "done"
    data = service.data_dir
    assert _mode(data) == 0o700 and _mode(data / "uploads") == 0o700
    files = [data / name for name in ("qingfeng.db", "qingfeng.db-wal", "qingfeng.db-shm", "secret_key")]
    files += list((data / "uploads").iterdir())
    assert len(files) == 5 and all(path.exists() for path in files)
    assert {str(path): oct(_mode(path)) for path in files} == {str(path): oct(0o600) for path in files}


def test_a_folder_made_readable_before_is_closed_again(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "uploads").mkdir(parents=True)
    for name in ("qingfeng.db", "qingfeng.db-wal"):
        (data / name).touch(mode=0o644)
    for folder in (data, data / "uploads"):
        folder.chmod(0o755)
    server = Service(data, None)
    server.settings.prepare()
    assert _mode(data) == 0o700 and _mode(data / "uploads") == 0o700
    assert _mode(data / "qingfeng.db") == 0o600 and _mode(data / "qingfeng.db-wal") == 0o600
