"""A pre-send check starts at once: `qingfeng check` imports the engine and nothing of the web application, the
store, the ledger, group registers, Spark or data frames; with its compiled rulebook cached it parses no YAML.
(Its time is measured in bench/cold_start.py, not asserted here.)"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

# Module prefixes a plain `qingfeng check TEXT` must never import.
HEAVY = (
    "qingfeng.web", "qingfeng.store", "qingfeng.ledger", "qingfeng.groups", "qingfeng.spark", "qingfeng.media",
    "qingfeng.learn", "qingfeng.report.groups_html", "qingfeng.coach.compose", "qingfeng.cli.draft",
    "qingfeng.cli.scan", "qingfeng.cli.web", "qingfeng.cli.groups", "qingfeng.cli.ledger",
    "qingfeng.text.pinyin", "pypinyin",  # pinyin spellings of terms come from the compiled rulebook
    "fastapi", "starlette", "uvicorn", "sqlalchemy", "alembic", "duckdb", "jinja2", "pandas", "pyarrow",
    "pyspark", "sqlglot", "openpyxl", "argon2", "cryptography", "PIL", "rapidocr_onnxruntime",
)


# Runs the console script's entry point and, as the process ends, lists every module it holds (sys.modules sees
# the modules importlib.import_module loaded too, which ``-X importtime`` leaves out).
SCRIPT = """
import atexit, sys
atexit.register(lambda: sys.__stderr__.write("MODULES " + " ".join(sorted(sys.modules)) + "\\n"))
from qingfeng.cli import main
main()
"""


def imported_by(argv: list[str], cache: Path) -> list[str]:
    """Every module a `qingfeng ARGV` process imports."""
    env = {**os.environ, "QINGFENG_CACHE_DIR": str(cache)}
    env.pop("QINGFENG_RULEBOOK", None)
    done = subprocess.run([sys.executable, "-c", SCRIPT, *argv], capture_output=True, text=True, env=env, check=False)
    assert done.returncode in (0, 1), done.stderr[-3000:]
    (listing,) = re.findall(r"^MODULES (.*)$", done.stderr, re.MULTILINE)
    return listing.split()


def heavy(modules: list[str]) -> list[str]:
    return [name for name in modules if any(name == prefix or name.startswith(f"{prefix}.") for prefix in HEAVY)]


@pytest.fixture(scope="module")
def warm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    cache = tmp_path_factory.mktemp("cache")
    imported_by(["check", "你好，明天开会"], cache)  # compiles the rulebook into this cache
    return cache


@pytest.mark.parametrize("text", ["你好，明天开会", "把机密文件发我微信", "好"])
def test_check_imports_nothing_heavy(warm: Path, text: str) -> None:
    modules = imported_by(["check", text], warm)
    assert "qingfeng.pipeline.engine" in modules and "qingfeng.cli.quick" in modules  # the list is read right
    assert heavy(modules) == []


def test_check_with_a_warm_cache_parses_no_yaml(warm: Path) -> None:
    modules = imported_by(["check", "你好，明天开会", "--format", "json"], warm)
    assert "qingfeng.detectors" in modules
    assert not [name for name in modules if name == "yaml" or name.startswith("yaml.")]


def test_check_from_a_cold_cache_compiles_and_still_imports_nothing_heavy_for_messages(tmp_path: Path) -> None:
    modules = imported_by(["check", "你好，明天开会"], tmp_path / "cold")
    assert "yaml" in modules  # it did compile
    assert list((tmp_path / "cold").glob("rulebook-*.pickle"))
    # Validating the group and ledger rules imports their kinds (their specs), and compiling spells terms in
    # pinyin; nothing else heavy is loaded.
    compiling = ("qingfeng.groups", "qingfeng.ledger", "qingfeng.text.pinyin", "pypinyin")
    assert [name for name in heavy(modules) if not name.startswith(compiling)] == []


def test_the_other_commands_are_still_there_and_help_lists_them_all(warm: Path) -> None:
    env = {**os.environ, "QINGFENG_CACHE_DIR": str(warm)}
    done = subprocess.run([sys.executable, "-c", SCRIPT, "--help"], capture_output=True, text=True, env=env,
                          check=True)
    from qingfeng.cli import COMMANDS

    for name in COMMANDS:
        assert re.search(rf"│ {name} ", done.stdout), name
    modules = imported_by(["rules", "SEC001"], warm)
    assert "qingfeng.cli.rules" in modules and "qingfeng.cli.web" not in modules
