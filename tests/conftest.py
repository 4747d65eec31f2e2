from __future__ import annotations

import os
import shutil
import tempfile

import pytest

# Compiled artefacts (qingfeng.core.cache) go to a folder of this run's own, never the user's cache: every run
# starts cold and then reads what it compiled, CLI subprocesses included. Set before qingfeng is imported: some
# modules read their data files through the cache as they load.
if "QINGFENG_CACHE_DIR" not in os.environ:
    os.environ["QINGFENG_CACHE_DIR"] = _TEST_CACHE = tempfile.mkdtemp(prefix="qingfeng-test-cache-")
else:
    _TEST_CACHE = None

from qingfeng import Checker
from qingfeng.detectors.context import example_context
from qingfeng.rulebook.loader import Rulebook, default_rulebook


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _TEST_CACHE is not None:
        shutil.rmtree(_TEST_CACHE, ignore_errors=True)


@pytest.fixture(scope="session")
def rulebook() -> Rulebook:
    return default_rulebook()


@pytest.fixture(scope="session")
def checker(rulebook: Rulebook) -> Checker:
    return Checker(rulebook)


@pytest.fixture(scope="session")
def every_rule_checker(rulebook: Rulebook) -> Checker:
    """Reports every rule that fires, without folding same-span findings into one, in the context
    (people register) that the rule examples assume."""
    return Checker(rulebook, deduplicate=False, context=example_context())


@pytest.fixture
def rulebook_folder(tmp_path):
    """An editable copy of the package's rulebook folder (sources, vocabularies, rules)."""
    import shutil

    from qingfeng.rulebook.loader import PACKAGE_DIR

    copy = tmp_path / "rulebook"
    shutil.copytree(PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return copy
