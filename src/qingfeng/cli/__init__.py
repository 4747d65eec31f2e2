"""The command line: one module per command group, each a thin shell over the layers below it.

A new sub-command is one module here, named in ``COMMANDS`` below. A run imports only the module of the
command it was asked for (``qingfeng check`` never loads the web application, the store or the ledger), so
that a pre-send check starts at once; ``app`` and ``--help`` hold every command.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from importlib import import_module
from itertools import pairwise
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import typer

# name → (module, attribute, whether it is a group of sub-commands), in the order help lists them
COMMANDS: dict[str, tuple[str, str, bool]] = {
    "check": ("qingfeng.cli.check", "check", False),
    "scan": ("qingfeng.cli.scan", "scan", False),
    "rules": ("qingfeng.cli.rules", "rules", False),
    "ledger": ("qingfeng.cli.ledger", "ledger", False),
    "groups": ("qingfeng.cli.groups", "groups_app", True),
    "draft": ("qingfeng.cli.draft", "draft_app", True),
    "spark": ("qingfeng.spark.cli", "spark_app", True),
    "serve": ("qingfeng.cli.web", "serve", False),
    "demo": ("qingfeng.cli.web", "demo", False),
    "users": ("qingfeng.cli.web", "users_app", True),
}


def build_app(names: Iterable[str] = COMMANDS) -> typer.Typer:
    """The CLI with these commands registered (each imported only now)."""
    import typer  # not at the top: a plain check runs without it (cli.quick)

    app = typer.Typer(
        help="清风 qingfeng — 工作微信合规助手 / conduct-compliance checks for work messaging.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )
    # A callback keeps `qingfeng check …` a sub-command even when it is the only one registered.
    app.callback()(_root)
    for name in names:
        module, attribute, group = COMMANDS[name]
        target = getattr(import_module(module), attribute)
        if group:
            app.add_typer(target, name=name)
        else:
            app.command(name)(target)
    return app


def _root() -> None:
    """清风 qingfeng — 工作微信合规助手 / conduct-compliance checks for work messaging."""


def __getattr__(name: str) -> Any:
    if name == "app":  # every command, built on first use (tests, documentation)
        app = globals()["app"] = build_app()
        return app
    raise AttributeError(f"module 'qingfeng.cli' has no attribute {name!r}")


@contextmanager
def _loading() -> Iterator[None]:
    gc.disable()  # loading modules makes many lasting objects and little garbage: collecting meanwhile is waste
    try:
        yield
    finally:
        gc.freeze()  # they live as long as the process: no later collection need walk them
        gc.enable()


def main() -> None:
    # numpy's OpenBLAS starts a thread pool as it loads (half of numpy's start-up); the engine does no linear
    # algebra, so one thread is all a qingfeng process needs. A value the user set is kept.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    argv = sys.argv[1:]
    if argv[:1] == ["check"]:  # a plain draft needs no command-line framework (cli.quick)
        with _loading():
            from qingfeng.cli import quick
        status = quick.check(argv[1:])
        if status is not None:
            sys.exit(status)
    chosen = argv[:1] if argv and argv[0] in COMMANDS else COMMANDS
    with _loading():
        app = build_app(chosen)
    try:
        app()
    except Exception as error:
        from qingfeng.ingest.errors import InputError

        if not isinstance(error, InputError):
            raise
        english = "--lang=en" in argv or any(pair == ("--lang", "en") for pair in pairwise(argv))
        lang = "en" if english else "zh"
        from qingfeng.cli.common import err

        err.print("qingfeng: ", style="bold red", end="")
        err.print(error.describe(lang), soft_wrap=True, markup=False)
        sys.exit(2)


__all__ = ["COMMANDS", "app", "build_app", "main"]
