"""``planmon targets template|import|export|list``: targets per unit and comparison-basis declarations."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from planmon.cli.context import Format, emit, reject, state
from planmon.framework import BUILTIN_DEFAULT
from planmon.framework.targets import basis_words
from planmon.spreadsheet import neutralise

FW_OPT = typer.Option("--framework", help="Framework id in the database")


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="地区目标与对比口径 / targets per unit and comparison basis", no_args_is_help=True)
    app.add_typer(group, name="targets")

    @group.command("template")
    def template(
        ctx: typer.Context,
        out: Annotated[Path, typer.Option("-o", "--out", help="FILE.xlsx")],
        unit: Annotated[list[str] | None, typer.Option("--unit", help="Units (default: the provinces)")] = None,
        framework: Annotated[str, FW_OPT] = BUILTIN_DEFAULT,
    ) -> None:
        """目标填报模板 / the Excel form for targets."""
        from planmon.targets import write_template

        st = state(ctx)
        write_template(st.store(), out, framework_id=framework, units=unit or None)
        typer.echo(st.t(f"已写出模板 {out}", f"template written to {out}"))

    @group.command("import")
    def import_(
        ctx: typer.Context,
        file: Annotated[Path, typer.Argument(help="CSV or XLSX")],
        reason: Annotated[str, typer.Option("--reason", help="Why (recorded with every revision)")] = "",
        user: Annotated[str | None, typer.Option("--user", help="Import as this user (their scope applies)")] = None,
        framework: Annotated[str, FW_OPT] = BUILTIN_DEFAULT,
    ) -> None:
        """导入地区目标（全部或全不）/ import targets (all or nothing)."""
        from planmon.auth import get_user, units_in_scope
        from planmon.targets import TargetsRejected, import_targets

        st = state(ctx)
        store = st.store()
        scope = None
        actor = st.who()
        if user is not None:
            u = get_user(store.engine, user)
            if u is None:
                reject([st.t(f"未知的用户“{user}”", f"unknown user '{user}'")])
            scope = units_in_scope(u.role, u.scopes, store.framework(framework))
            actor = f"user:{u.username}"
        if not file.exists():
            reject([st.t(f"文件不存在：{file}", f"file not found: {file}")])
        try:
            res = import_targets(store, file, actor, framework_id=framework, scope=scope, reason=reason)
        except TargetsRejected as exc:
            reject(exc.messages_en if st.lang == "en" else exc.messages_zh)
        typer.echo(st.t(f"新增 {res.added}，修订 {res.revised}，未变 {res.unchanged}",
                        f"added {res.added}, revised {res.revised}, unchanged {res.unchanged}"))

    @group.command("export")
    def export(
        ctx: typer.Context,
        out: Annotated[Path, typer.Option("-o", "--out", help="FILE.csv or FILE.xlsx")],
        unit: Annotated[str | None, typer.Option("--unit")] = None,
        framework: Annotated[str, FW_OPT] = BUILTIN_DEFAULT,
    ) -> None:
        """导出当前目标（导入格式）/ export the current targets (import format)."""
        from planmon.targets import export_targets

        st = state(ctx)
        n = export_targets(st.store(), out, framework_id=framework, unit=unit)
        typer.echo(st.t(f"已导出 {n} 行到 {out}", f"{n} rows written to {out}"))

    @group.command("list")
    def list_(
        ctx: typer.Context,
        unit: Annotated[str | None, typer.Option("--unit")] = None,
        indicator: Annotated[str | None, typer.Option("--indicator")] = None,
        fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
        framework: Annotated[str, FW_OPT] = BUILTIN_DEFAULT,
    ) -> None:
        """当前地区目标与口径声明 / current targets and basis declarations."""
        st = state(ctx)
        df = st.store().targets(framework, indicator=indicator, unit=unit)
        df["kind_words"] = [basis_words(k, st.lang) for k in df["kind"]]
        recs = df.astype(object).where(df.notna(), None).to_dict("records")
        if fmt == Format.csv:
            recs = [{k: neutralise(v) for k, v in r.items()} for r in recs]
        cols = ["indicator", "unit", "period", "kind", "kind_words", "value", "baseline_period", "baseline_value",
                "source", "illustrative", "revision"]
        emit(recs, fmt, cols)
