"""``planmon demo``: the main job on the demo data — set up, load, report, serve.

Creates or upgrades the database, loads the built-in plan and the illustrative
provincial data set (示意数据), writes the full report to ``./report/``, and then
serves the web app when it is installed (``--serve/--no-serve``; default: serve
when ``planmon.web`` can be imported).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Annotated

import typer

from planmon.cli.context import console, state
from planmon.framework import BUILTIN_DEFAULT


def web_app_available() -> bool:
    try:
        importlib.import_module("planmon.web")
    except ImportError:
        return False
    return True


def serve_web(db_url: str, host: str, port: int) -> None:
    """Hook for the web app: the integrator wires ``planmon.web`` here (it must expose ``serve``)."""
    web = importlib.import_module("planmon.web")
    web.serve(db_url=db_url, host=host, port=port)


def _ensure_demo_admin(store: object, st: object) -> None:
    """With no user at all, create ``demo-admin`` with a fresh random password and print it once,
    so the demo's dashboard can be opened; nothing secret is stored in the repository."""
    import secrets

    from planmon.auth.users import add_user, list_users

    engine = store.engine  # type: ignore[attr-defined]
    if list_users(engine):
        return
    password = secrets.token_urlsafe(12)
    add_user(engine, "demo-admin", password, "admin", actor="planmon demo")
    console.print(st.t(f"已创建演示管理员 demo-admin，密码：{password}（仅显示一次）",  # type: ignore[attr-defined]
                       f"created the demo admin demo-admin, password: {password} (shown once)"),
                  markup=False, highlight=False)


NEXT_PLAN = "cn-digital-15fyp"
OUTLINE_PLANS = ("cn-outline-14fyp", "cn-outline-15fyp")


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo_cmd(
        ctx: typer.Context,
        out: Annotated[Path, typer.Option("-o", "--out", help="Report folder")] = Path("report"),
        formats: Annotated[str, typer.Option("--format", help="Comma-separated: html,pdf,docx,xlsx")] = "html,pdf,docx,xlsx",
        serve: Annotated[bool | None, typer.Option("--serve/--no-serve", help="Serve the web app afterwards (default: when installed)")] = None,
        host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
        port: Annotated[int, typer.Option("--port")] = 8000,
    ) -> None:
        """演示：建库、载入规划和示意数据、生成报告并启动网页 Set up, load the demo data, write the report, serve."""
        from planmon.cli.cmd_report import make_report
        from planmon.demo import load_demo

        st = state(ctx)
        t = st.t
        store = st.store()
        store.init(BUILTIN_DEFAULT, actor=st.who())
        res = load_demo(store, actor=st.who())
        console.print(t(f"数据库：{store.url}；示意数据：新增 {res.added} 条，未变 {res.unchanged} 条，修订 {res.revised} 条",
                        f"database: {store.url}; illustrative data: {res.added} added, {res.unchanged} unchanged, "
                        f"{res.revised} revised"), markup=False, highlight=False, soft_wrap=True)
        for w in make_report(store, out, formats, None, st.lang, BUILTIN_DEFAULT):
            console.print(f"{w.path}  ({w.size:,} B, {w.seconds:.1f} s)", markup=False, highlight=False, soft_wrap=True)
        # the 14th plan's final evaluation, and the 15th plan's first monitoring page beside it (issue 15)
        from planmon.report.final import build_start_document, evaluation_report, write_evaluation_report
        from planmon.report.writer import parse_formats

        store.init(NEXT_PLAN, actor=st.who())
        for outline in OUTLINE_PLANS:  # the national outlines beside it in the plan switcher (issue 19)
            store.init(outline, actor=st.who())
        lang = "en" if st.lang == "en" else "zh"
        chosen = parse_formats(formats)
        paths = evaluation_report(store, out, chosen, "final", lang, BUILTIN_DEFAULT)
        paths += write_evaluation_report(build_start_document(store, NEXT_PLAN, lang), out,
                                         [f for f in chosen if f in ("html", "pdf")] or ["html"],
                                         "plan-start" if lang == "zh" else "plan-start-en")
        for path in paths:
            console.print(f"{path}  ({path.stat().st_size:,} B)", markup=False, highlight=False, soft_wrap=True)
        available = web_app_available()
        if serve is None:
            serve = available
        if serve and not available:
            console.print(t("网页应用（planmon.web）未安装，跳过启动。", "The web app (planmon.web) is not installed; not serving."))
        elif serve:
            _ensure_demo_admin(store, st)
            serve_web(store.engine.url.render_as_string(hide_password=False), host, port)
        else:
            console.print(t(f"报告已写入 {out}/（用浏览器打开 report.html）", f"Report written to {out}/ (open report.html)"),
                          markup=False, highlight=False, soft_wrap=True)
