"""The layers import downwards only (docs/architecture.md): a module may import from its own layer or a lower
one, never from a layer above, at module level or inside a function. Every module must have a layer."""

from __future__ import annotations

import ast
from pathlib import Path

import qingfeng

SRC = Path(qingfeng.__file__).resolve().parent

# Lowest first. A package's entry covers its sub-modules; the longest matching prefix wins.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("qingfeng.core", "qingfeng.text", "qingfeng.ingest", "qingfeng.coach"),
    ("qingfeng.detectors", "qingfeng.rulebook", "qingfeng.runtime"),
    ("qingfeng.pipeline", "qingfeng.media", "qingfeng.groups", "qingfeng.ledger", "qingfeng.learn", "qingfeng.samples",
     "qingfeng.runtime.examples", "qingfeng.spark"),
    ("qingfeng.report", "qingfeng.store"),
    ("qingfeng.web", "qingfeng.cli", "qingfeng.__main__", "qingfeng.spark.cli", "qingfeng.spark.submit"),
)
RANK = {prefix: rank for rank, prefixes in enumerate(LAYERS) for prefix in prefixes}


def layer(module: str) -> int | None:
    parts = module.split(".")
    for end in range(len(parts), 1, -1):
        rank = RANK.get(".".join(parts[:end]))
        if rank is not None:
            return rank
    return None


def module_name(path: Path) -> str:
    parts = ("qingfeng", *path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(tree: ast.AST, package: str) -> list[tuple[int, str]]:
    """Every qingfeng module a file imports, anywhere in it; ``from qingfeng import X`` resolves X."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the file's own package upwards
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if base == "qingfeng":
                for alias in node.names:
                    public = qingfeng._PUBLIC.get(alias.name)
                    name = public or f"qingfeng.{alias.name}"
                    found.append((node.lineno, name if public or (SRC / alias.name).exists()
                                  or (SRC / f"{alias.name}.py").exists() else "qingfeng"))
            else:
                found.append((node.lineno, base))
    return [(line, name) for line, name in found if name.startswith("qingfeng.")]


def sources() -> list[Path]:
    return sorted(path for path in SRC.rglob("*.py") if "migrations" not in path.parts)


def test_every_module_has_a_layer() -> None:
    homeless = [module_name(path) for path in sources() if path.parent != SRC or path.name != "__init__.py"]
    assert [name for name in homeless if layer(name) is None] == []


def test_imports_point_downwards() -> None:
    upward = []
    for path in sources():
        name = module_name(path)
        own = layer(name)
        if own is None:  # the package root: a facade that imports nothing at load time
            continue
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for line, target in imported(ast.parse(path.read_text(encoding="utf-8")), package):
            theirs = layer(target)
            if theirs is not None and theirs > own:
                upward.append(f"{path.relative_to(SRC)}:{line} ({own}) imports {target} ({theirs})")
    assert upward == []


def test_the_checker_sees_an_upward_import() -> None:
    """The walk above finds imports inside functions too; without this the test could pass by seeing nothing."""
    tree = ast.parse("def f():\n    from qingfeng.cli.common import fail\n")
    assert imported(tree, "qingfeng.core.models") == [(2, "qingfeng.cli.common")]
    assert layer("qingfeng.cli.common") > layer("qingfeng.core.models")


def test_every_imported_module_exists() -> None:
    """A module moved or removed leaves no import behind, even inside a function that no test calls."""
    import importlib.util

    missing = []
    for path in sources():
        name = module_name(path)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for line, target in imported(ast.parse(path.read_text(encoding="utf-8")), package):
            if importlib.util.find_spec(target) is None:
                missing.append(f"{path.relative_to(SRC)}:{line} imports {target}")
    assert missing == []
