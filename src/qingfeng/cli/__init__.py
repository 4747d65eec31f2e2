"""The command line: one module per command group, each a thin shell over the layers below it.

A new sub-command is one module here, registered below."""

from __future__ import annotations

import sys
from itertools import pairwise

import typer

from qingfeng.cli import check, draft, groups, ledger, rules, scan, web
from qingfeng.cli.common import err
from qingfeng.ingest.errors import InputError
from qingfeng.spark.cli import spark_app

app = typer.Typer(
    help="清风 qingfeng — 工作微信合规助手 / conduct-compliance checks for work messaging.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command()(check.check)
app.command()(scan.scan)
app.command()(rules.rules)
app.command("ledger")(ledger.ledger)
app.add_typer(groups.groups_app, name="groups")
app.add_typer(draft.draft_app, name="draft")
app.add_typer(spark_app, name="spark")
app.command()(web.serve)
app.command()(web.demo)
app.add_typer(web.users_app, name="users")


def main() -> None:
    try:
        app()
    except InputError as error:
        argv = sys.argv[1:]
        english = "--lang=en" in argv or any(pair == ("--lang", "en") for pair in pairwise(argv))
        lang = "en" if english else "zh"
        err.print("qingfeng: ", style="bold red", end="")
        err.print(error.describe(lang), soft_wrap=True, markup=False)
        sys.exit(2)

__all__ = ["app", "main"]
