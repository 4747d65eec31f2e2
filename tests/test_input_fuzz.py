"""No file a user can give makes a command print a traceback or exit other than 0, 1 or 2: example inputs cut
short, with bytes changed, saved in one encoding and read in another, gzipped and cut, and plain noise."""

from __future__ import annotations

import gzip
import io
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from typer.testing import CliRunner

from qingfeng.cli import app

ROOT = Path(__file__).resolve().parents[1] / "examples"
runner = CliRunner()
ENCODINGS = ("utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16")


@cache  # the same bytes each time: a workbook records when it was saved
def _xlsx(text: str) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for line in text.splitlines():
        sheet.append(line.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@st.composite
def damaged(draw: st.DrawFn, example: str) -> tuple[bytes, str | None]:
    """(the file's bytes, an --encoding to force or None)."""
    text = (ROOT / example).read_text(encoding="utf-8")
    form = draw(st.sampled_from(["encoded", "xlsx", "gzip", "noise"]))
    if form == "noise":
        data = draw(st.binary(max_size=2048))
    elif form == "xlsx":
        data = _xlsx(text)
    else:
        data = text.encode(draw(st.sampled_from(ENCODINGS)), errors="ignore")
        if form == "gzip":
            data = gzip.compress(data)
    if data and draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]  # cut short
    if data and draw(st.booleans()):
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1:]  # one byte changed
    forced = draw(st.none() | st.sampled_from(ENCODINGS))
    return data, forced


def _exits_cleanly(args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output


FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(case=st.sampled_from(["scan/messages.csv", "scan/wecom.jsonl", "scan/messages.jsonl"]).flatmap(damaged))
def test_scan_never_crashes(tmp_path: Path, case: tuple[bytes, str | None]) -> None:
    data, forced = case
    path = tmp_path / "archive.csv"
    path.write_bytes(data)
    _exits_cleanly(["scan", str(path), *(["--encoding", forced] if forced else [])])


@FUZZ
@given(case=damaged("ledger/transfers.csv"))
def test_ledger_never_crashes(tmp_path: Path, case: tuple[bytes, str | None]) -> None:
    data, forced = case
    path = tmp_path / "transfers.csv"
    path.write_bytes(data)
    _exits_cleanly(["ledger", str(path), "--people", str(ROOT / "ledger/people.csv"), "--relations",
                    str(ROOT / "ledger/relations.csv"), *(["--encoding", forced] if forced else [])])


@FUZZ
@given(case=damaged("groups/members.csv"))
def test_groups_audit_never_crashes(tmp_path: Path, case: tuple[bytes, str | None]) -> None:
    data, forced = case
    path = tmp_path / "members.csv"
    path.write_bytes(data)
    _exits_cleanly(["groups", "audit", "--groups", str(ROOT / "groups/groups.csv"), "--members", str(path),
                    "--people", str(ROOT / "groups/people.csv"), "--as-of", "2024-05-20",
                    *(["--encoding", forced] if forced else [])])
