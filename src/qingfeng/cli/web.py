"""`qingfeng serve`, `qingfeng demo` and `qingfeng users …`: the web app's command-line side.

The web stack is imported inside the commands, so `qingfeng check` starts as fast as before."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import sys
import tempfile
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from qingfeng.cli.common import atomic_output, err, fail, out

if TYPE_CHECKING:
    from fastapi import FastAPI
    from sqlalchemy.orm import Session, sessionmaker

    from qingfeng.store.models import User
    from qingfeng.web.core.config import Settings

SAMPLE_ARCHIVE = Path(__file__).resolve().parent.parent / "samples" / "archive.jsonl"

Host = Annotated[str, typer.Option(help="监听地址 / address to listen on")]
Port = Annotated[int, typer.Option(help="端口 / port")]
DataDir = Annotated[Path | None, typer.Option("--data-dir", help="数据目录（SQLite 数据库、上传的档案）/ data folder")]


ROLE_HELP = "member | owner | officer | admin"


def _settings(data_dir: Path | None, **values: Any) -> Settings:
    from qingfeng.web.core.config import Settings

    given = {key: value for key, value in values.items() if value is not None}
    if data_dir is not None:
        given["data_dir"] = data_dir
    settings = Settings(**given)
    settings.prepare()
    return settings


def serve(
    host: Host = "127.0.0.1",
    port: Port = 8000,
    data_dir: DataDir = None,
    lang: Annotated[str | None, typer.Option(help="界面默认语言 zh | en")] = None,
    access_log: Annotated[bool, typer.Option(help="记录每个请求 / log every request")] = False,
    workers: Annotated[int, typer.Option(min=1, help="工作进程数（每个 CPU 核一个）/ worker processes")] = 1,
) -> None:
    """启动网页应用 / run the web application (QINGFENG_DATABASE_URL selects PostgreSQL)."""
    from qingfeng.web.app import create_app

    settings = _settings(data_dir, lang=lang)
    if workers == 1:
        _run(create_app(settings), settings, host, port, access_log)
        return
    import uvicorn

    _store(settings)  # migrate once here, not in every worker at the same moment
    # Worker processes build their own app from the environment: hand them the settings that way.
    os.environ["QINGFENG_DATA_DIR"] = str(settings.data_dir.resolve())
    os.environ["QINGFENG_LANG"] = settings.lang
    out.print(f"清风 qingfeng → http://{host}:{port}/  ({workers} workers, data: {settings.data_dir.resolve()})")
    uvicorn.run(
        "qingfeng.web.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        access_log=access_log,
        proxy_headers=False,
    )


def _generate(count: int | None, path: Path | None, seed: int) -> None:
    """A synthetic archive in message-record JSONL, and the mix of problems put into it."""
    import gzip

    from qingfeng.samples.synth import Generator

    if count is None or path is None:
        raise fail("--generate N and --out FILE go together")
    generator = Generator(seed=seed)
    with atomic_output(path) as sink:
        stream = gzip.GzipFile(fileobj=sink, mode="wb", compresslevel=6) if path.suffix == ".gz" else sink
        with stream if stream is not sink else nullcontext():
            stream.writelines(generator.lines(count))
    mix = generator.mix
    table = Table(title=f"{path}: {mix.messages} 条消息 / messages, {mix.clean} 条正常 / clean")
    table.add_column("类别 category")
    table.add_column("放入的问题 problems put in", justify="right")
    for category, n in mix.by_category.most_common():
        table.add_row(category, str(n))
    out.print(table)


def _run(app: FastAPI, settings: Settings, host: str, port: int, access_log: bool = False) -> None:
    import uvicorn

    out.print(f"清风 qingfeng → http://{host}:{port}/  (data: {settings.data_dir.resolve()})")
    uvicorn.run(app, host=host, port=port, log_level="info", access_log=access_log, proxy_headers=False)


def _store(settings: Settings) -> sessionmaker[Session]:
    from qingfeng.store.db import make_engine, migrate, session_factory

    engine = make_engine(settings.db_url)
    migrate(engine)
    return session_factory(engine)


DEMO_USERS = (
    ("admin", "admin", "王静"),
    ("officer", "officer", "李明"),
    ("owner", "owner", "周敏"),
    ("member", "member", "陈刚"),
)


def demo(
    host: Host = "127.0.0.1",
    port: Port = 8000,
    data_dir: DataDir = None,
    generate: Annotated[
        int | None,
        typer.Option("--generate", min=1, help="只生成 N 条模拟聊天记录到 --out / write N synthetic messages"),
    ] = None,
    out_path: Annotated[
        Path | None, typer.Option("--out", help="模拟记录文件（.gz 结尾则压缩）/ file for --generate")
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="随机种子 / random seed for --generate")] = 0,
) -> None:
    """演示：示例数据（已扫描的示例聊天记录、演示账号）+ 网页应用 / the web app with sample data loaded."""
    if generate is not None or out_path is not None:
        _generate(generate, out_path, seed)
        return
    if _qingfeng_answers(host, port):
        out.print(f"清风演示已在运行：http://{host}:{port}/ （账号密码见第一次运行时的输出）"
                  f" / qingfeng is already running at http://{host}:{port}/")
        return
    chosen = _free_port(host, port)
    if chosen != port:
        out.print(f"端口 {port} 已被其他程序占用，改用 {chosen} / port {port} is taken, using {chosen}")
    if data_dir is not None:
        _demo(host, chosen, data_dir)
        return
    # uvicorn re-raises the signal that stopped it: let SIGTERM end the process as Ctrl-C does, by unwinding,
    # so that the demo's folder is removed when the demo stops.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with tempfile.TemporaryDirectory(prefix="qingfeng-demo-") as folder:
        _demo(host, chosen, Path(folder))


def _qingfeng_answers(host: str, port: int) -> bool:
    """A qingfeng server (an earlier `make demo`) is listening there."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(f"http://{host}:{port}/api/rules", timeout=2) as response:
            return response.status == 200 and response.headers.get_content_type() == "application/json"
    except (urllib.error.URLError, OSError, ValueError):
        return False


def _free_port(host: str, port: int) -> int:
    """``port`` when nothing listens on it, else one the system picks."""
    for wanted in (port, 0):
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
            try:
                probe.bind((host, wanted))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise typer.Exit(2)


def _demo(host: str, port: int, data_dir: Path) -> None:
    from qingfeng.store import crud
    from qingfeng.web.app import create_app
    from qingfeng.web.jobs import ScanRunner

    settings = _settings(data_dir)
    app = create_app(settings)
    sessions = _store(settings)
    passwords: dict[str, str] = {}
    with sessions() as db:
        for name, role, display in DEMO_USERS:
            if crud.get_user_by_name(db, name=name) is None:
                passwords[name] = secrets.token_urlsafe(9)
                crud.create_user(db, name=name, password=passwords[name], role=role, display_name=display)
        owner = crud.get_user_by_name(db, name="owner")
        assert owner is not None
        job = crud.create_job(db, owner=owner, filename=SAMPLE_ARCHIVE.name, stored_path=str(SAMPLE_ARCHIVE))
        _, receipt = crud.file_report(
            db,
            vault=app.state.vault,
            retention_days=settings.report_retention_days,
            text="县税务局办公室工作群里有人转发标注“内部资料 不得外传”的稽查名单。",
            category="secrecy",
            contact=None,
            filer=None,
        )
    ScanRunner(sessions, app.state.checker, settings).run(job.id)
    table = Table(title="演示账号 / demo accounts")
    for column in ("账号 account", "角色 role", "密码 password"):
        table.add_column(column)
    for name, role, _ in DEMO_USERS:
        table.add_row(name, role, passwords.get(name, "(unchanged)"))
    out.print(table)
    out.print(f"示例档案已扫描进审核队列 / sample archive scanned: {SAMPLE_ARCHIVE.name}")
    out.print(f"示例举报回执码 / sample report receipt: {receipt}")
    _run(app, settings, host, port)


users_app = typer.Typer(help="账号管理 / manage accounts", no_args_is_help=True)


def _password(given: str | None) -> str:
    from qingfeng.web.passwords import password_problem

    password = given or typer.prompt("密码 / password", hide_input=True, confirmation_prompt=True)
    if problem := password_problem(password, None, "zh"):
        err.print(f"qingfeng: {problem} / at least 8 characters", style="red")
        raise typer.Exit(2)
    return password


@users_app.command("add")


def users_add(
    name: Annotated[str, typer.Argument(help="账号名")],
    role: Annotated[str, typer.Option(help=ROLE_HELP)] = "member",
    password: Annotated[str | None, typer.Option(help="不给则提示输入 / prompted when absent")] = None,
    display_name: Annotated[str, typer.Option(help="姓名 / display name")] = "",
    data_dir: DataDir = None,
) -> None:
    """新增账号 / add an account."""
    from qingfeng.store import crud
    from qingfeng.store.models import ROLES

    if role not in ROLES:
        err.print(f"qingfeng: unknown role {role!r}; one of {', '.join(ROLES)}", style="red")
        raise typer.Exit(2)
    sessions = _store(_settings(data_dir))
    with sessions() as db:
        try:
            crud.create_user(db, name=name, password=_password(password), role=role, display_name=display_name)
        except crud.UserExists:
            err.print(f"qingfeng: account {name!r} exists already", style="red")
            raise typer.Exit(2) from None
    out.print(f"added {name} ({role})")


@users_app.command("list")


def users_list(data_dir: DataDir = None) -> None:
    """列出账号 / list accounts."""
    from qingfeng.store import crud

    with _store(_settings(data_dir))() as db:
        table = Table()
        for column in ("name", "role", "display name", "active"):
            table.add_column(column)
        for user in crud.list_users(db):
            table.add_row(user.name, user.role, user.display_name, "yes" if user.active else "no")
        out.print(table)


def _existing(db: Session, name: str) -> User:
    from qingfeng.store import crud

    user = crud.get_user_by_name(db, name=name)
    if user is None:
        err.print(f"qingfeng: no account {name!r}", style="red")
        raise typer.Exit(2)
    return user


@users_app.command("set")


def users_set(
    name: str,
    role: Annotated[str | None, typer.Option(help=ROLE_HELP)] = None,
    password: Annotated[bool, typer.Option("--password", help="设置新密码（提示输入）/ set a new password")] = False,
    disable: Annotated[bool, typer.Option(help="停用 / disable the account")] = False,
    enable: Annotated[bool, typer.Option(help="启用 / enable the account")] = False,
    reset_totp: Annotated[
        bool, typer.Option("--reset-totp", help="关闭两步验证（丢失验证器时）/ turn two-step sign-in off")
    ] = False,
    data_dir: DataDir = None,
) -> None:
    """修改角色、密码、启用状态或两步验证 / change an account's role, password, state or two-step sign-in.

    A new password revokes every API token of the account and ends its sessions."""
    from qingfeng.store import crud
    from qingfeng.store.models import ROLES

    if role is not None and role not in ROLES:
        err.print(f"qingfeng: unknown role {role!r}", style="red")
        raise typer.Exit(2)
    with _store(_settings(data_dir))() as db:
        user = _existing(db, name)
        active = False if disable else (True if enable else None)
        crud.update_user(db, user=user, role=role, password=_password(None) if password else None, active=active)
        if reset_totp:
            crud.clear_totp(db, user=user)
    out.print(f"updated {name}")


@users_app.command("token")


def users_token(
    name: Annotated[str | None, typer.Argument(help="账号名（签发时必填）/ account (to issue a token)")] = None,
    label: Annotated[str, typer.Option(help="用途说明 / what the token is for")] = "",
    days: Annotated[
        int | None, typer.Option(min=0, help="有效天数，0 为不过期 / days valid, 0: never")
    ] = None,
    list_: Annotated[bool, typer.Option("--list", help="列出令牌（给出账号则只列该账号）/ list tokens")] = False,
    revoke: Annotated[int | None, typer.Option(help="吊销这个编号的令牌 / revoke the token with this id")] = None,
    data_dir: DataDir = None,
) -> None:
    """签发（只显示一次）、列出或吊销 API 令牌 / issue (shown once), list or revoke API tokens."""
    from qingfeng.store import crud
    from qingfeng.store.models import utcnow

    settings = _settings(data_dir)
    with _store(settings)() as db:
        if revoke is not None:
            if crud.revoke_token(db, token_id=revoke) is None:
                err.print(f"qingfeng: no token {revoke}", style="red")
                raise typer.Exit(2)
            crud.audit(db, actor=None, action="token.revoke", target=f"token:{revoke}", detail={"by": "cli"})
            out.print(f"revoked token {revoke}")
        elif list_:
            now = utcnow()
            table = Table()
            for column in ("id", "account", "label", "created", "expires", "last used", "state"):
                table.add_column(column)
            for token in crud.list_tokens(db, user=_existing(db, name) if name else None):
                state = "revoked" if token.revoked_at else ("active" if token.usable(now) else "expired")
                table.add_row(
                    str(token.id),
                    token.user.name,
                    token.label,
                    f"{token.created_at:%Y-%m-%d %H:%M}",
                    f"{token.expires_at:%Y-%m-%d %H:%M}" if token.expires_at else "never",
                    f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "",
                    state,
                )
            out.print(table)
        elif name is None:
            err.print("qingfeng: give an account to issue a token for, or --list, or --revoke ID", style="red")
            raise typer.Exit(2)
        else:
            valid = settings.token_days if days is None else days
            _, token = crud.create_api_token(db, user=_existing(db, name), label=label, days=valid)
            out.print(token)


@users_app.command("unlock")


def users_unlock(name: str, data_dir: DataDir = None) -> None:
    """清除账号的登录失败记录（解除锁定）/ forget an account's failed sign-ins (lift a lock-out)."""
    from qingfeng.store import crud, throttle

    with _store(_settings(data_dir))() as db:
        cleared = throttle.clear_failures(db, account=_existing(db, name).name)
        crud.audit(db, actor=None, action="login.unlock", target=f"user:{name}", detail={"cleared": cleared})
    out.print(f"cleared {cleared} failed sign-ins of {name}")
