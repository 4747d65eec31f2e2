from __future__ import annotations

import pytest

from qingfeng import Checker
from qingfeng.detectors.context import example_context
from qingfeng.rulebook.loader import Rulebook, default_rulebook


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
