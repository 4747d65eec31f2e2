"""Scanning in several processes gives the same output, in the same order, as one process."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import orjson
from pytest import MonkeyPatch
from typer.testing import CliRunner

from qingfeng.cli import app
from qingfeng.pipeline import scan
from qingfeng.pipeline.scan import CHUNK
from qingfeng.samples.synth import Generator

runner = CliRunner()


def test_jobs_keep_output_and_order(tmp_path: Path) -> None:
    archive = tmp_path / "big.jsonl"
    lines = list(Generator(seed=5).lines(2 * CHUNK + 500))
    lines.insert(CHUNK + 3, b"{not json\n")  # a bad line in the second chunk keeps its own line number
    archive.write_bytes(b"".join(lines))
    outputs = []
    for jobs in ("1", "2", "3"):
        out = tmp_path / f"out{jobs}.json"
        result = runner.invoke(app, ["scan", str(archive), "--format", "json", "--out", str(out), "--jobs", jobs])
        assert result.exit_code == 1, result.output
        outputs.append(orjson.loads(out.read_bytes()))
    assert outputs[0] == outputs[1] == outputs[2]
    lines_seen = [finding["line"] for finding in outputs[0]["findings"]]
    assert lines_seen == sorted(lines_seen) and lines_seen[-1] > 2 * CHUNK
    assert outputs[0]["summary"]["messages"] == 2 * CHUNK + 500
    [problem] = outputs[0]["problems"]
    assert problem.startswith(f"{archive}:{CHUNK + 4}: not valid JSON")


def test_interrupted_scan_leaves_no_output(tmp_path: Path) -> None:
    """A gzip archive cut short fails the scan part-way: the earlier report stays, no temporary file is left."""
    packed = gzip.compress(b"".join(Generator(seed=1).lines(3 * CHUNK)))
    archive = tmp_path / "cut.jsonl.gz"
    archive.write_bytes(packed[: len(packed) // 2])
    out = tmp_path / "report.html"
    out.write_text("previous report")
    result = runner.invoke(app, ["scan", str(archive), "--format", "html", "--out", str(out)])
    assert result.exit_code == 2 and "cut.jsonl.gz" in result.output
    assert out.read_text() == "previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cut.jsonl.gz", "report.html"]


def test_jobs_keep_order_for_csv(tmp_path: Path) -> None:
    """CSV is parsed where it is read and checked in the pool: same findings, same order."""
    archive = tmp_path / "export.csv"
    fields = ("id", "time", "room_name", "sender_name", "type", "amount", "text")
    with archive.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(Generator(seed=9, problem_share=0.2).records(CHUNK + 300))
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}.jsonl"
        result = runner.invoke(app, ["scan", str(archive), "--format", "jsonl", "--out", str(out), "--jobs", jobs])
        assert result.exit_code == 1, result.output
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    lines = [orjson.loads(line)["line"] for line in outputs[0].splitlines()]
    assert lines == sorted(lines) and lines[-1] > CHUNK


def test_jsonl_output_is_the_same_bytes_whatever_the_jobs(tmp_path: Path, monkeypatch: MonkeyPatch) -> None:
    """Records encoded in the workers come back in file order; with small blocks the archive is many parts, some
    checked by this process and some by the workers. A bad line deep in the file, a blank one and a last line
    without its newline are numbered as in the file; gzip is cut into the same blocks."""
    monkeypatch.setattr(scan, "BLOCK", 1 << 14)
    lines = list(Generator(seed=7, problem_share=0.3).lines(3000))
    lines[2500] = b"{not json\n"
    lines[2600] = b"\n"
    body = b"".join(lines).rstrip(b"\n")
    for name, data in (("many.jsonl", body), ("many.jsonl.gz", gzip.compress(body))):
        archive = tmp_path / name
        archive.write_bytes(data)
        outputs = []
        for jobs in ("1", "2", "3"):
            out = tmp_path / f"{name}.{jobs}.jsonl"
            result = runner.invoke(app, ["scan", str(archive), "--format", "jsonl", "--out", str(out), "--jobs", jobs,
                                         "--lang", "en"])
            assert result.exit_code == 1, result.output
            assert f"{archive}:2501: not valid JSON" in result.output
            assert "2998 messages checked" in result.output  # every line but the bad and the blank one
            outputs.append(out.read_bytes())
        assert outputs[0] == outputs[1] == outputs[2]
        numbers = [orjson.loads(line)["line"] for line in outputs[0].splitlines()]
        assert numbers == sorted(numbers) and numbers[-1] > 2900
