"""``planmon serve``, ``planmon user add|list|set`` and ``planmon token create``."""

from __future__ import annotations

import getpass
import sys
from typing import Annotated

import typer

from planmon.auth import ROLES, UserError, add_user, create_token, list_users, revoke_tokens, update_user
from planmon.cli.context import Format, console, emit, reject, state

user_app = typer.Typer(help="用户 Users of the web app and API.", no_args_is_help=True)
token_app = typer.Typer(help="API 令牌 API tokens for scripts.", no_args_is_help=True)


def _read_password(from_stdin: bool, lang: str) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("密码 Password: ")
    second = getpass.getpass("再次输入 Repeat: ")
    if first != second:
        reject(["两次输入的密码不同" if lang != "en" else "the two passwords differ"])
    return first


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve_cmd(
        ctx: typer.Context,
        host: Annotated[str, typer.Option("--host", help="Address to listen on")] = "127.0.0.1",
        port: Annotated[int, typer.Option("--port", help="TCP port")] = 8000,
        https: Annotated[bool, typer.Option("--https/--no-https",
                                            help="Mark cookies Secure (behind a TLS proxy)")] = False,
    ) -> None:
        """启动网页应用 Serve the web app (dashboard, submissions, review, REST API)."""
        import uvicorn

        from planmon.web.app import create_app

        st = state(ctx)
        store = st.store()
        store.init(actor=st.who())
        web = create_app(store, secure_cookies=https or None)
        console.print(st.t(f"planmon 网页应用：http://{host}:{port}/", f"planmon web app: http://{host}:{port}/"))
        uvicorn.run(web, host=host, port=port, log_level="info", proxy_headers=https)

    @user_app.command("add")
    def user_add(
        ctx: typer.Context,
        username: Annotated[str, typer.Argument(help="Login name")],
        role: Annotated[str, typer.Option("--role", help="|".join(ROLES))],
        unit: Annotated[list[str] | None, typer.Option("--unit", help="Unit the user acts for (repeatable)")] = None,
        password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from stdin")] = False,
        display_name: Annotated[str, typer.Option("--name", help="Display name")] = "",
    ) -> None:
        """添加用户 Add a user (the first admin: planmon user add NAME --role admin)."""
        st = state(ctx)
        store = st.store()
        store.init(actor=st.who())
        fw = store.framework()
        known = {u.id for u in fw.units}
        bad = [u for u in (unit or []) if u not in known]
        if bad:
            reject([st.t(f"未知单位：{', '.join(bad)}", f"unknown unit(s): {', '.join(bad)}")])
        password = _read_password(password_stdin, st.lang)
        try:
            user = add_user(store.engine, username, password, role, unit or [], actor=st.who(),
                            display_name=display_name)
        except UserError as exc:
            reject([exc.message.get(st.lang)])
        console.print(st.t(f"已添加用户 {user.username}（{user.role}）", f"added user {user.username} ({user.role})"))

    @user_app.command("set")
    def user_set(
        ctx: typer.Context,
        username: Annotated[str, typer.Argument()],
        role: Annotated[str | None, typer.Option("--role")] = None,
        unit: Annotated[list[str] | None, typer.Option("--unit")] = None,
        active: Annotated[bool | None, typer.Option("--active/--inactive")] = None,
        password_stdin: Annotated[bool, typer.Option("--password-stdin")] = False,
    ) -> None:
        """修改用户 Change a user's role, units, state or password."""
        st = state(ctx)
        store = st.store()
        password = _read_password(True, st.lang) if password_stdin else None
        try:
            update_user(store.engine, username, st.who(), role=role, scopes=unit, active=active, password=password)
        except UserError as exc:
            reject([exc.message.get(st.lang)])
        console.print(st.t(f"已更新用户 {username}", f"updated user {username}"))

    @user_app.command("list")
    def user_list(
        ctx: typer.Context,
        fmt: Annotated[Format, typer.Option("--format")] = Format.table,
    ) -> None:
        """列出用户 List users."""
        st = state(ctx)
        store = st.store()
        store.migrate()
        rows = [u.to_dict() for u in list_users(store.engine)]
        if fmt == Format.table:
            rows = [{**r, "scopes": "、".join(r["scopes"]) if st.lang != "en" else ", ".join(r["scopes"])} for r in rows]
        emit(rows, fmt, columns=["username", "role", "scopes", "display_name", "active"], codes={"role": "role"})

    @token_app.command("create")
    def token_create(
        ctx: typer.Context,
        username: Annotated[str, typer.Argument()],
        name: Annotated[str, typer.Option("--name", help="What the token is for")] = "",
    ) -> None:
        """创建 API 令牌（只显示一次） Create an API token (shown once)."""
        st = state(ctx)
        store = st.store()
        store.migrate()
        try:
            token = create_token(store.engine, username, name, actor=st.who())
        except UserError as exc:
            reject([exc.message.get(st.lang)])
        sys.stdout.write(token + "\n")

    @token_app.command("revoke")
    def token_revoke(ctx: typer.Context, username: Annotated[str, typer.Argument()]) -> None:
        """吊销该用户的全部 API 令牌 Revoke every API token of a user."""
        st = state(ctx)
        try:
            n = revoke_tokens(st.store().engine, username, actor=st.who())
        except UserError as exc:
            reject([exc.message.get(st.lang)])
        console.print(st.t(f"已吊销 {n} 个令牌", f"revoked {n} token(s)"))

    app.add_typer(user_app, name="user")
    app.add_typer(token_app, name="token")
