"""``planmon init`` and ``planmon framework show|validate|export``."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Annotated, Any

import typer

from planmon import vocab
from planmon.cli.context import Format, State, console, dumps_json, emit, reject, state
from planmon.framework import BUILTIN_DEFAULT, Framework, FrameworkInvalid, export_framework, load_framework
from planmon.framework.diff import diff_frameworks, section_label
from planmon.framework.workbook import read_workbook, write_workbook

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
        "  " + (f"{len(fw.main_indicators())} 项主要指标，{n_prov} 个省级地区，{n_dept} 个部门，"
                f"{len(fw.observations)} 个内置观测值"
                if zh else
                f"{len(fw.main_indicators())} main indicators, {n_prov} provinces, {n_dept} departments, "
                f"{len(fw.observations)} built-in observations")
    )


def _printed(ind: dict[str, Any], lang: str) -> str:
    """A target of another form (issue 19) as the plan prints it (> 7, 〔13.5〕, < 5.5, 高于…增长), else —."""
    rule = ind.get("target_rule") or {}
    zh, en = rule.get("text_zh") or "", rule.get("text_en") or ""
    return (en or zh if lang == "en" else zh or en) or "—"


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
             "target": vocab.number(x["target"]["value"], x["unit"], x["id"]) if x["target"] else _printed(x, st.lang)}
            for x in summary["indicators"]
        ]
        emit(rows, fmt, title=st.t("主要指标", "Main indicators"))

    @framework_app.command("list")
    def list_cmd(
        ctx: typer.Context,
        fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
    ) -> None:
        """列出内置规划 List the built-in plans (ids for --plan and init --framework)."""
        from planmon.plans import builtin_plans

        st = state(ctx)
        zh = st.lang != "en"
        rows = [{"id": b.ref.id, "title": b.ref.title_zh if zh else b.ref.title_en,
                 "period": f"{b.ref.start}–{b.ref.end}", "predecessor": b.ref.predecessor or "—",
                 "main_indicators": b.main_indicators, "to_be_filled": b.to_be_filled,
                 "observations": b.observations} for b in builtin_plans()]
        names = {"predecessor": st.t("上一规划", "previous plan"), "main_indicators": st.t("主要指标", "main indicators"),
                 "to_be_filled": st.t("待补充", "to be filled"), "observations": st.t("内置观测值", "built-in values")}
        emit(rows, fmt, title=st.t("内置规划", "Built-in plans"), names=names)

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
        path: Annotated[Path, typer.Argument(help="Folder for YAML files, or FILE.xlsx for a workbook")],
        source: Annotated[str, typer.Option("--framework", help="Built-in name, folder or workbook")] = BUILTIN_DEFAULT,
    ) -> None:
        """导出框架（YAML 文件夹或 Excel 工作簿）Export a framework as YAML files or as a workbook (.xlsx)."""
        st = state(ctx)
        fw = _load_or_reject(source, st.lang)
        if path.suffix.lower() == ".xlsx":
            write_workbook(fw, path)
            console.print(st.t(f"已写出工作簿 {path}（内容哈希 {fw.content_hash[:12]}）",
                               f"wrote workbook {path} (content hash {fw.content_hash[:12]})"))
            return
        files = export_framework(fw, path)
        console.print(st.t(f"已写出 {len(files)} 个文件到 {path}", f"wrote {len(files)} files to {path}"))

    @framework_app.command("template")
    def template(
        ctx: typer.Context,
        out: Annotated[Path, typer.Option("-o", "--out", help="Workbook to write (.xlsx)")] = Path("规划框架.xlsx"),
    ) -> None:
        """生成规划框架填报工作簿 Write an empty framework workbook: indicator table and plan tree."""
        st = state(ctx)
        if out.suffix.lower() != ".xlsx":
            raise typer.BadParameter(st.t("输出文件应以 .xlsx 结尾", "the output file must end in .xlsx"))
        write_workbook(None, out)
        console.print(st.t(f"已写出空白工作簿 {out}", f"wrote the empty workbook {out}"))

    @framework_app.command("import")
    def import_cmd(
        ctx: typer.Context,
        path: Annotated[Path, typer.Argument(help="Filled framework workbook (.xlsx)")],
        out: Annotated[Path | None, typer.Option("-o", "--out", help="Folder to write the framework's YAML into")] = None,
        load: Annotated[bool, typer.Option("--load", help="Also load it into the database (--db)")] = False,
        fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
    ) -> None:
        """从工作簿导入规划框架（逐格校验，有误整体拒绝）Import a framework workbook; any problem refuses it whole."""
        st = state(ctx)
        if not path.is_file():
            reject([st.t(f"找不到文件 {path}", f"file not found: {path}")])
        try:
            fw = read_workbook(path)
        except FrameworkInvalid as exc:
            if fmt == Format.json:
                print(dumps_json({"valid": False, "issues": [i.to_dict() for i in exc.issues]}))
                raise typer.Exit(1) from None
            reject([st.t(f"工作簿有 {len(exc.issues)} 处问题，已整体拒绝（未写入任何内容）：",
                         f"{len(exc.issues)} problem(s) in the workbook; refused whole (nothing written):")]
                   + [i.format(st.lang) for i in exc.issues])
        written = export_framework(fw, out) if out is not None else []
        if load:
            st.store().init(fw, actor=st.who())
        if fmt == Format.json:
            print(dumps_json({"valid": True, "plan": fw.plan.id, "content_hash": fw.content_hash,
                              "written": [str(p) for p in written], "loaded": load}))
            return
        console.print(st.t(f"工作簿有效：{fw.plan.id}（内容哈希 {fw.content_hash}）",
                           f"workbook is valid: {fw.plan.id} (content hash {fw.content_hash})"))
        if out is not None:
            console.print(st.t(f"已写出 {len(written)} 个 YAML 文件到 {out}", f"wrote {len(written)} YAML files to {out}"))
        _print_overview(fw, st.lang)

    @framework_app.command("diff")
    def diff(
        ctx: typer.Context,
        old: Annotated[str, typer.Argument(help="Old: built-in name, folder, or ID@VERSION stored in --db")],
        new: Annotated[str, typer.Argument(help="New: built-in name, folder, or ID@VERSION stored in --db")],
        fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
    ) -> None:
        """比较两个框架版本 List what changed between two versions of a framework (and the changelog)."""
        st = state(ctx)
        result = diff_frameworks(_resolve_version(st, old), _resolve_version(st, new))
        if fmt == Format.json:
            print(dumps_json(result.to_dict()))
            return
        if fmt == Format.csv:
            emit([c.to_dict() for c in result.changes], fmt, ["section", "key", "change", "field", "old", "new"])
            return
        zh = st.lang != "en"
        console.print(st.t(f"框架版本 {result.old_version} → {result.new_version}：{len(result.changes)} 处变化",
                           f"framework version {result.old_version} → {result.new_version}: "
                           f"{len(result.changes)} change(s)"))
        for ver in result.changelog:
            console.print(f"[bold]{ver.version}[/bold] ({ver.date})  {ver.summary_zh if zh else ver.summary_en}")
            for ch in ver.changes:
                what = ch.what_zh if zh else (ch.what_en or ch.what_zh)
                why = ch.why_zh if zh else (ch.why_en or ch.why_zh)
                mark = st.t("（推断）", " (inferred)") if ch.inferred else ""
                console.print(f"  - {ch.target}: {what}{mark}")
                if why:
                    console.print("      " + st.t("原因：", "why: ") + why)
                if ch.source:
                    console.print("      " + st.t("来源：", "source: ") + ch.source)
        words = {"added": ("新增", "added"), "removed": ("删除", "removed"), "changed": ("修改", "changed")}
        rows = [
            {st.t("部分", "section"): section_label(c.section, st.lang), st.t("对象", "key"): c.key,
             st.t("变化", "change"): words[c.change][0 if zh else 1], st.t("字段", "field"): c.field,
             st.t("原值", "old"): _short(c.old), st.t("新值", "new"): _short(c.new)}
            for c in result.changes
        ]
        emit(rows, fmt, title=st.t("逐项变化", "Changes, record by record"))

    @framework_app.command("versions")
    def versions(
        ctx: typer.Context,
        framework_id: Annotated[str, typer.Argument(help="Framework id")] = BUILTIN_DEFAULT,
        fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
    ) -> None:
        """数据库中保存的框架版本 The versions of a framework this database has held."""
        st = state(ctx)
        rows = [{k: v for k, v in r.items() if k != "content"} for r in st.store().framework_versions(framework_id)]
        if fmt == Format.json:
            print(dumps_json(rows))
            return
        emit([{"version": r["version"], "content_hash": r["content_hash"][:12], "synced_at": r["synced_at"],
               "synced_by": r["synced_by"]} for r in rows], fmt, title=st.t("框架版本", "Framework versions"))

    app.add_typer(framework_app, name="framework")


def _short(v: object) -> str:
    text = "" if v is None else (v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))
    return text if len(text) <= 60 else text[:57] + "…"


def _resolve_version(st: State, source: str) -> Framework:
    """ID@VERSION from the store, else a built-in name or folder."""
    if "@" in source and not Path(source).exists():
        fid, version = source.split("@", 1)
        try:
            return st.store().framework_version(fid, version)
        except KeyError:
            reject([st.t(f"数据库中没有框架 {fid} 的版本 {version}（见 planmon framework versions）",
                         f"version {version} of framework {fid} is not in the database (see planmon framework versions)")])
    return _load_or_reject(source, st.lang)
