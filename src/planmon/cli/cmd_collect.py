"""``planmon template|import|submissions|history|audit|export``: data collection on the command line."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from planmon import vocab
from planmon.cli.context import (
    Format,
    State,
    console,
    dumps_json,
    emit,
    err_console,
    known_indicator,
    known_unit,
    output_lang,
    reject,
    reject_not_loaded,
    state,
)
from planmon.framework import BUILTIN_DEFAULT
from planmon.jsonsafe import jsonable
from planmon.store import Store

submissions_app = typer.Typer(help="报送审核 Review submissions: list, show, accept, return.", no_args_is_help=True)


class ExportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"
    json = "json"


def _store(st: State) -> Store:
    """The store, or exit 1 with a clear message when the database was never initialised."""
    store = st.store()
    if store.revision() is None:
        reject([st.t(f"数据库 {store.url} 尚未初始化：请先运行 planmon init",
                     f"database {store.url} is not initialised: run 'planmon init' first")])
    return store


def _reasons(items: list[str]) -> dict[str, str]:
    """``--reason TEXT`` (any warning) or ``--reason RULE=TEXT`` / ``--reason I01/330000/2024=TEXT``."""
    out: dict[str, str] = {}
    for item in items:
        head, sep, text = item.partition("=")
        if sep and head and " " not in head.strip():
            out[head.strip()] = text.strip()
        else:
            out["*"] = item.strip()
    return out


def register(app: typer.Typer) -> None:
    @app.command("template")
    def template_cmd(
        ctx: typer.Context,
        unit: Annotated[str, typer.Option("--unit", help="GB/T 2260 code or name, e.g. 330000 or 浙江")],
        period: Annotated[str, typer.Option("--period", help="2024, 2024Q3 or 2024-10")],
        output: Annotated[Path, typer.Option("-o", "--output", help="The .xlsx file to write")],
        framework: Annotated[str, typer.Option("--framework")] = BUILTIN_DEFAULT,
    ) -> None:
        """生成填报模板 Write the Excel form a unit fills for one period."""
        from planmon.collect import make_template
        from planmon.periods import PeriodError

        st = state(ctx)
        try:
            path = make_template(_store(st), unit, period, output, framework_id=framework)
        except PeriodError as exc:
            reject([exc.message_en if st.lang == "en" else exc.message_zh])
        except KeyError as exc:
            reject([st.t(f"未知单位或框架：{exc}", f"unknown unit or framework: {exc}")])
        console.print(st.t(f"已生成模板 {path}", f"template written: {path}"))

    @app.command("import")
    def import_cmd(
        ctx: typer.Context,
        files: Annotated[list[Path], typer.Argument(help="CSV, XLSX or JSON files")],
        reason: Annotated[list[str] | None, typer.Option("--reason", help="Reason passing warnings: TEXT, RULE=TEXT or INDICATOR/UNIT/PERIOD=TEXT")] = None,
        accept: Annotated[bool, typer.Option("--accept", help="Accept the submissions at once (reviewer's own data)")] = False,
        fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
        framework: Annotated[str, typer.Option("--framework")] = BUILTIN_DEFAULT,
        max_mb: Annotated[float | None, typer.Option("--max-mb", help="Size limit per file (default 20 MB)")] = None,
        annotate: Annotated[bool, typer.Option("--annotate/--no-annotate", help="Write NAME.checked.xlsx beside a rejected XLSX")] = True,
        break_factor: Annotated[float, typer.Option("--break-factor", help="Warn when a value changes by more than this factor against the previous period")] = 3.0,
    ) -> None:
        """导入数据（全部成功或全部不写入）Import observations: all or nothing."""
        from planmon.collect import Limits, Options, annotate_copy, import_files

        st = state(ctx)
        limits = Limits.from_env()
        if max_mb is not None:
            limits = Limits(max_bytes=int(max_mb * 1024 * 1024), max_uncompressed=limits.max_uncompressed)
        if break_factor <= 1:
            reject([st.t("--break-factor 应大于 1", "--break-factor must be greater than 1")])
        try:
            result = import_files(_store(st), files, st.who(), framework_id=framework, reasons=_reasons(reason or []),
                                  auto_accept=accept, limits=limits, options=Options(break_factor=break_factor))
        except KeyError as exc:
            reject_not_loaded(st, framework, str(exc))
        annotated = []
        if not result.ok and annotate:
            for p in files:
                if p.suffix.lower() == ".xlsx" and p.is_file() and not any(f.rule == "file_refused" for f in result.findings
                                                                            if f.file == p.name):
                    try:
                        out = annotate_copy(p, result.findings)
                    except Exception:  # an annotated copy is a courtesy; the findings are the report
                        out = None
                    if out:
                        annotated.append(str(out))
        if fmt == Format.json:
            sys.stdout.write(dumps_json({**result.to_dict(), "annotated": annotated}) + "\n")
        elif fmt == Format.csv:
            emit([f.to_dict() for f in result.findings], fmt,
                 ["file", "sheet", "row", "column", "field", "value", "rule", "severity", "message_zh", "message_en"])
        else:
            for f in result.findings:
                (err_console if f.is_error else console).print(f.format(st.lang), markup=False, highlight=False)
            for a in annotated:
                console.print(st.t(f"已写出标注问题的副本：{a}", f"annotated copy written: {a}"), markup=False)
            if result.ok:
                console.print(st.t(
                    f"导入成功：新增 {result.added}，修订 {result.revised}，未变 {result.unchanged}；报送编号 {result.submission_ids}",
                    f"imported: {result.added} added, {result.revised} revised, {result.unchanged} unchanged; "
                    f"submissions {result.submission_ids}"), markup=False)
                if result.already_imported:
                    console.print(st.t(f"已导入过（未重复写入）：{', '.join(result.already_imported)}",
                                       f"already imported (nothing added): {', '.join(result.already_imported)}"), markup=False)
        if not result.ok:
            n_err, n_warn = len(result.errors), len(result.warnings)
            reject([st.t(f"未写入任何数据：{n_err} 个错误，{n_warn} 个警告（警告需用 --reason 说明原因）",
                         f"nothing written: {n_err} error(s), {n_warn} warning(s) (warnings pass with --reason)")])

    @submissions_app.command("list")
    def sub_list(
        ctx: typer.Context,
        unit: Annotated[str | None, typer.Option("--unit")] = None,
        state_: Annotated[str | None, typer.Option("--state", help="submitted | accepted | returned")] = None,
        fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
    ) -> None:
        """列出报送 List submissions."""
        from planmon.collect.submissions import list_submissions

        rows = list_submissions(_store(state(ctx)), unit=unit, state=state_)
        for r in rows:
            r.pop("report", None)
        emit(rows, fmt, ["id", "unit_id", "period", "state", "source_kind", "filename", "rows", "created_by",
                         "created_at", "reviewed_by", "comment"], names={"unit_id": vocab.header("unit", output_lang())},
             codes={"state": "submission_state"})

    @submissions_app.command("show")
    def sub_show(ctx: typer.Context, id: int, fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.table) -> None:
        """显示报送 Show one submission with its values."""
        from planmon.collect.submissions import SubmissionError, get_submission

        st = state(ctx)
        try:
            sub = get_submission(_store(st), id)
        except SubmissionError as exc:
            reject([exc.get(st.lang)])
        if fmt == Format.json:
            sys.stdout.write(dumps_json(sub) + "\n")
            return
        obs = sub.pop("observations")
        sub.pop("report", None)
        head: list[str] = [c for c in ("id", "unit_id", "period", "state", "source_kind", "filename", "rows", "created_by",
                            "created_at", "reviewed_by", "reviewed_at", "comment") if c in sub]
        emit([sub], fmt, head, names={"unit_id": vocab.header("unit", st.lang)}, codes={"state": "submission_state"})
        emit(obs, fmt, ["indicator", "unit", "period", "value", "status", "revision", "state", "reason"],
             codes={"status": "observation_status", "state": "submission_state"})

    @submissions_app.command("accept")
    def sub_accept(ctx: typer.Context, id: int, comment: Annotated[str, typer.Option("--comment")] = "") -> None:
        """采纳报送 Accept a submission: its values become current."""
        from planmon.collect.submissions import SubmissionError, accept

        st = state(ctx)
        try:
            accept(_store(st), id, st.who(), comment)
        except SubmissionError as exc:
            reject([exc.get(st.lang)])
        console.print(st.t(f"报送 {id} 已采纳", f"submission {id} accepted"))

    @submissions_app.command("return")
    def sub_return(ctx: typer.Context, id: int, comment: Annotated[str, typer.Option("--comment")] = "") -> None:
        """退回报送 Return a submission with a comment."""
        from planmon.collect.submissions import SubmissionError, return_submission

        st = state(ctx)
        try:
            return_submission(_store(st), id, st.who(), comment)
        except SubmissionError as exc:
            reject([exc.get(st.lang)])
        console.print(st.t(f"报送 {id} 已退回", f"submission {id} returned"))

    app.add_typer(submissions_app, name="submissions")

    @app.command("history")
    def history_cmd(
        ctx: typer.Context,
        indicator: str,
        unit: str,
        fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
        framework: Annotated[str, typer.Option("--framework")] = BUILTIN_DEFAULT,
    ) -> None:
        """数值的修订历史 Every revision of one indicator for one unit: who, when, why."""
        st = state(ctx)
        store = _store(st)
        fw = store.framework(framework)
        unit_id = known_unit(st, fw, unit)
        indicator_id = known_indicator(st, fw, indicator)
        rows = jsonable(store.history(indicator_id, unit_id, framework))  # the records, as printed before
        if not rows and fmt == Format.table:
            console.print(st.t(f"{indicator_id} / {unit} 尚无数值", f"no values yet for {indicator_id} / {unit}"),
                          markup=False, highlight=False)
            return
        emit(rows, fmt, ["period", "value", "status", "revision", "state", "submission_id", "reason", "created_by",
                         "created_at", "source"], codes={"status": "observation_status", "state": "submission_state"})

    @app.command("audit")
    def audit_cmd(
        ctx: typer.Context,
        entity: Annotated[str | None, typer.Option("--entity")] = None,
        actor: Annotated[str | None, typer.Option("--by", help="Only events of this actor")] = None,
        limit: Annotated[int, typer.Option("--limit")] = 100,
        fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
    ) -> None:
        """审计日志 The audit log: who, when, what, before and after."""
        rows = _store(state(ctx)).audit_events(entity=entity, actor=actor, limit=limit)
        emit(rows, fmt, ["id", "at", "actor", "action", "entity", "entity_id", "before", "after", "detail"])

    @app.command("export")
    def export_cmd(
        ctx: typer.Context,
        fmt: Annotated[ExportFormat, typer.Option("--format", "-f")] = ExportFormat.csv,
        history: Annotated[bool, typer.Option("--history", help="Every revision, not only current values")] = False,
        output: Annotated[Path | None, typer.Option("-o", "--output", help="File to write (default: standard output)")] = None,
        framework: Annotated[str, typer.Option("--framework")] = BUILTIN_DEFAULT,
    ) -> None:
        """导出观测值 Export observations (formula-injection safe)."""
        from planmon.collect import export_observations

        st = state(ctx)
        if output is None and fmt == ExportFormat.xlsx:
            reject([st.t("xlsx 格式需用 -o 指定输出文件", "xlsx needs an output file: -o FILE.xlsx")])
        target = output if output is not None else sys.stdout.buffer
        n = export_observations(_store(st), fmt.value, target, history=history, framework_id=framework)
        if output is not None:
            console.print(st.t(f"已导出 {n} 条到 {output}", f"exported {n} records to {output}"))
