"""``planmon init`` and ``planmon framework show|validate|export``."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from planmon import vocab
from planmon.cli.context import Format, console, dumps_json, emit, reject, state
from planmon.framework import BUILTIN_DEFAULT, Framework, FrameworkInvalid, export_framework, load_framework

framework_app = typer.Typer(help="规划框架 The plan framework: show, validate, export.", no_args_is_help=True)




def _load_or_reject(source: str, lang: str) -> Framework:
    """The framework, or exit 1 listing every problem (nothing is written)."""
    try:
        return load_framework(source)
    except FrameworkInvalid as exc:
        reject([i.format(lang) for i in exc.issues])


def _print_overview(fw: Framework, lang: str) -> None:
    kinds: Counter[str] = Counter(i.kind for i in fw.items)
    zh = lang != "en"
    title = fw.plan.title_zh if zh else fw.plan.title_en
    console.print(f"[bold]{title}[/bold]  ({fw.plan.id}, {fw.plan.period_start}–{fw.plan.period_end}, v{fw.plan.version})")
    labels = {
        "goal": ("目标", "goals"), "aspect": ("方面", "aspects"), "task": ("重大任务", "major tasks"),
        "project": ("重点工程", "key projects"), "action_group": ("优先行动组", "action groups"),
        "action": ("优先行动", "priority actions"),
    }
    parts = [f"{kinds.get(k, 0)} {v[0] if zh else v[1]}" for k, v in labels.items()]
    console.print("  " + ", ".join(parts))
    n_prov = len(fw.provinces())
    n_dept = sum(1 for u in fw.units if u.kind == "department")
    console.print(
        "  " + (f"{len(fw.indicators)} 项主要指标，{n_prov} 个省级地区，{n_dept} 个部门，{len(fw.observations)} 个内置观测值"
                if zh else
                f"{len(fw.indicators)} main indicators, {n_prov} provinces, {n_dept} departments, "
                f"{len(fw.observations)} built-in observations")
    )


def register(app: typer.Typer) -> None:
    @app.command("init")
    def init_cmd(
        ctx: typer.Context,
        framework: Annotated[str, typer.Option("--framework", help="Built-in name or folder")] = BUILTIN_DEFAULT,
        quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
    ) -> None:
        """创建或升级数据库并载入内置规划 Create or upgrade the database and load the plan."""
        st = state(ctx)
        fw = _load_or_reject(framework, st.lang)
        store = st.store()
        result = store.init(fw, actor=st.who())
        if quiet:
            return
        t = st.t
        console.print(t(f"数据库：{store.url}（架构版本 {result.revision}" + ("，已升级）" if result.migrated else "，无需升级）"),
                        f"database: {store.url} (schema {result.revision}" + (", upgraded)" if result.migrated else ", up to date)")))
        if result.sync.changed:
            console.print(t(f"已载入框架 {fw.plan.id}，新增观测值 {result.sync.observations_added} 个",
                            f"framework {fw.plan.id} loaded, {result.sync.observations_added} observations added"))
        else:
            console.print(t(f"框架 {fw.plan.id} 未变化", f"framework {fw.plan.id} unchanged"))
        _print_overview(fw, st.lang)

    @framework_app.command("show")
    def show(
        ctx: typer.Context,
        source: Annotated[str, typer.Argument(help="Built-in name or folder")] = BUILTIN_DEFAULT,
        fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
    ) -> None:
        """显示框架 Show a framework (overview, or JSON/CSV)."""
        st = state(ctx)
        fw = _load_or_reject(source, st.lang)
        summary = fw.to_summary()
        if fmt == Format.json:
            print(dumps_json(summary))
            return
        if fmt == Format.csv:
            emit(summary["items"], fmt, ["id", "kind", "parent", "title_zh", "title_en"])
            return
        _print_overview(fw, st.lang)
        rows = [
            {"id": x["id"], "name": x["name_zh"] if st.lang != "en" else x["name_en"],
             "measure": vocab.measure(x["unit"], st.lang, x.get("unit_en")),
             "baseline": vocab.number(x["baseline"]["value"], x["unit"], x["id"]) if x["baseline"] else "—",
             "target": vocab.number(x["target"]["value"], x["unit"], x["id"]) if x["target"] else "—"}
            for x in summary["indicators"]
        ]
        emit(rows, fmt, title=st.t("主要指标", "Main indicators"))

    @framework_app.command("validate")
    def validate(
        ctx: typer.Context,
        path: Annotated[str, typer.Argument(help="Framework folder or YAML file")],
        fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
    ) -> None:
        """校验框架文件 Validate a framework folder; lists every problem (exit 1 if any)."""
        st = state(ctx)
        try:
            fw = load_framework(path)
        except FrameworkInvalid as exc:
            if fmt == Format.json:
                print(dumps_json({"valid": False, "issues": [i.to_dict() for i in exc.issues]}))
                raise typer.Exit(1) from None
            if fmt == Format.csv:
                emit([i.to_dict() for i in exc.issues], fmt)
                raise typer.Exit(1) from None
            reject(
                [st.t(f"框架有 {len(exc.issues)} 处错误：", f"{len(exc.issues)} problem(s) in the framework:")]
                + [i.format(st.lang) for i in exc.issues]
            )
        if fmt == Format.json:
            print(dumps_json({"valid": True, "issues": [], "content_hash": fw.content_hash}))
        else:
            console.print(st.t(f"框架有效：{fw.plan.id}", f"framework is valid: {fw.plan.id}"))

    @framework_app.command("export")
    def export(
        ctx: typer.Context,
        path: Annotated[Path, typer.Argument(help="Folder to write the YAML files into")],
        source: Annotated[str, typer.Option("--framework", help="Built-in name or folder")] = BUILTIN_DEFAULT,
    ) -> None:
        """导出框架为 YAML 文件夹 Export a framework as a folder of YAML files."""
        st = state(ctx)
        fw = _load_or_reject(source, st.lang)
        files = export_framework(fw, path)
        console.print(st.t(f"已写出 {len(files)} 个文件到 {path}", f"wrote {len(files)} files to {path}"))

    app.add_typer(framework_app, name="framework")
