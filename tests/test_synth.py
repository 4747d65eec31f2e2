"""Synthetic archives: valid message records, deterministic, with the mix they report."""

from __future__ import annotations

import gzip
from pathlib import Path

import orjson
from typer.testing import CliRunner

from qingfeng.cli import app
from qingfeng.core.models import Message
from qingfeng.pipeline.engine import Checker
from qingfeng.samples.synth import Generator


def test_records_are_messages_and_the_mix_adds_up() -> None:
    generator = Generator(seed=3, problem_share=0.2)
    messages = [Message.model_validate(record) for record in generator.records(2000)]
    mix = generator.mix
    assert mix.messages == 2000 and mix.clean + sum(mix.by_category.values()) == 2000
    assert 300 < sum(mix.by_rule.values()) < 500
    assert len({m.room for m in messages if m.room}) >= 10 and all(m.time for m in messages)


def test_same_seed_same_archive() -> None:
    assert list(Generator(seed=7).lines(300)) == list(Generator(seed=7).lines(300))
    assert list(Generator(seed=7).lines(300)) != list(Generator(seed=8).lines(300))


def test_problems_put_in_are_found() -> None:
    """Most injected problems are found; clean traffic raises few warnings (the rest are the engine's own
    false positives on ordinary replies, e.g. ETQ004 on 已收到，周五前报送。)."""
    generator = Generator(seed=1, problem_share=0.3)
    records = list(generator.records(1500))
    checker = Checker(fast=True)
    found = checker.check_batch([Message.model_validate(r) for r in records])
    flagged = sum(1 for findings in found if any(f.severity != "info" for f in findings))
    problems = sum(generator.mix.by_category.values())
    assert flagged >= 0.8 * problems
    assert flagged <= problems + 0.03 * generator.mix.clean


def test_demo_generate_writes_the_file(tmp_path: Path) -> None:
    path = tmp_path / "synthetic.jsonl.gz"
    result = CliRunner().invoke(app, ["demo", "--generate", "500", "--out", str(path), "--seed", "2"])
    assert result.exit_code == 0, result.output
    lines = gzip.decompress(path.read_bytes()).splitlines()
    assert len(lines) == 500 and all(Message.model_validate(orjson.loads(line)) for line in lines)
    assert CliRunner().invoke(app, ["demo", "--generate", "5"]).exit_code == 2
