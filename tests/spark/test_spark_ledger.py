"""`qingfeng spark ledger` gives the same findings as `qingfeng ledger`: the DuckDB queries, transpiled by
SQLGlot, run on Spark over the example ledger and a generated one, bad rows included."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from qingfeng.cli import app
from qingfeng.ledger.config import Thresholds, load_thresholds
from qingfeng.ledger.screen import screen_file
from qingfeng.ledger.synthetic import generate

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "ledger"
REGISTERS = {"people": EXAMPLES / "people.csv", "relations": EXAMPLES / "relations.csv",
             "elections": EXAMPLES / "elections.csv"}
runner = CliRunner()


def _both(spark, transfers: Path, thresholds: Thresholds, **registers: Path) -> tuple[list, list]:
    from qingfeng.spark.ledger import screen  # needs pyspark: the `spark` fixture skips (or fails in CI) without

    local = screen_file(transfers, thresholds=thresholds, threads=2, **registers)  # type: ignore[arg-type]
    on_spark, _ = screen(spark, str(transfers), str(transfers), thresholds=thresholds, **registers)  # type: ignore[arg-type]
    assert on_spark.stats == local.stats
    assert [str(p) for p in on_spark.problems] == [str(p) for p in local.problems]
    return [f.to_dict() for f in local.findings], [f.to_dict() for f in on_spark.findings]


def test_example_ledger_same_findings(spark) -> None:
    thresholds = load_thresholds(EXAMPLES / "thresholds.toml")
    local, on_spark = _both(spark, EXAMPLES / "transfers.csv", thresholds, **REGISTERS)
    assert len(local) >= 10 and on_spark == local  # every field: severity, escalations, explanations


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_generated_ledger_same_findings(spark, tmp_path: Path, fmt: str) -> None:
    ledger = generate(tmp_path, transfers=20_000 if fmt == "csv" else 5_000, seed=3, fmt=fmt)  # type: ignore[arg-type]
    local, on_spark = _both(spark, ledger.transfers, Thresholds(as_of=ledger.as_of), people=ledger.people,
                            relations=ledger.relations, elections=ledger.elections)
    assert {f["rule"] for f in local} >= {"LED001", "LED004", "LED005", "ILL010"}
    assert on_spark == local


def test_bad_rows_reported_alike(spark, tmp_path: Path) -> None:
    """Bad fields and a repeated id are left out, with the same line and field, on both engines."""
    rows = (EXAMPLES / "transfers.csv").read_text(encoding="utf-8").splitlines()
    rows[5] = rows[5].replace(rows[5].split(",")[5], "lots", 1)  # amount of the 5th data row
    rows.append(rows[3])  # the 3rd data row again: a duplicate id
    transfers = tmp_path / "transfers.csv"
    transfers.write_text("\n".join(rows) + "\n", encoding="utf-8")
    thresholds = load_thresholds(EXAMPLES / "thresholds.toml")
    local, on_spark = _both(spark, transfers, thresholds, **REGISTERS)
    assert on_spark == local


def test_cli_writes_findings_and_exit_code(spark, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["spark", "ledger", str(EXAMPLES / "transfers.csv"), "--people", str(REGISTERS["people"]),
            "--relations", str(REGISTERS["relations"]), "--elections", str(REGISTERS["elections"]),
            "--config", str(EXAMPLES / "thresholds.toml"), "--out", str(out), "--master", "local[2]"]
    result = runner.invoke(app, args)
    assert not isinstance(result.exception, Exception), result.exception  # an exit code, never a traceback
    local = runner.invoke(app, ["ledger", *args[2:-4], "--format", "jsonl"])
    assert result.exit_code == local.exit_code == 1, result.output
    written = [orjson.loads(line) for part in (out / "findings").glob("*.txt") for line in part.open("rb")]
    expected = [orjson.loads(line) for line in local.stdout.splitlines()]
    key = [(r["message_id"], r["rule"], r["fingerprint"]) for r in expected]
    assert [(r["message_id"], r["rule"], r["fingerprint"]) for r in written] == key
    missing = runner.invoke(app, [*args[:2], str(tmp_path / "none.csv"), *args[3:]])
    assert missing.exit_code == 2 and "none.csv" in missing.output
