"""``planmon duties import|export``, ``planmon progress-report add|list``, ``planmon supervise``,
``planmon scorecard`` and ``planmon remind``: thin layers over :mod:`planmon.supervise`."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer

from planmon import vocab
from planmon.cli.context import Format, State, console, emit, import_answered, known_unit, reject, state
from planmon.framework import BUILTIN_DEFAULT
from planmon.periods import PeriodError
from planmon.snapshot import AsOf, Snapshot
from planmon.supervise import (
    ProgressReportRejected,
    ReportingCycle,
    add_progress_report,
    export_duties,
    export_reminders,
    import_duties,
    list_progress_reports,
)

duties_app = typer.Typer(help="分工方案 The division of responsibility: import, export.", no_args_is_help=True)
report_app = typer.Typer(help="进展情况报告 Progress reports: add, list.", no_args_is_help=True)

FrameworkOpt = Annotated[str, typer.Option("--framework", help="Framework id in the store")]
AsOfOpt = Annotated[str | None, typer.Option("--as-of", help="Date YYYY-MM-DD, or a period (2024, 2024Q3, 2024-10) "
                                                             "meaning its last day (default: today)")]


def _date(st: State, text: str | None, what: str = "--as-of") -> date:
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        typer.echo(st.t(f"{what} 应为日期 YYYY-MM-DD，而不是“{text}”", f"{what} must be a date YYYY-MM-DD, not '{text}'"),
                   err=True)
        raise typer.Exit(2) from None


def _snapshot(st: State, as_of: str | None, framework: str, cycle: ReportingCycle | None = None) -> Snapshot:
    """The snapshot the other faces show for the same as-of (a date, or a period's last day)."""
    try:
        when = AsOf.resolve(as_of)
    except PeriodError:
        typer.echo(st.t(f"--as-of 应为日期 YYYY-MM-DD 或期别（2024、2024Q3、2024-10），而不是“{as_of}”",
                        f"--as-of must be a date YYYY-MM-DD or a period (2024, 2024Q3, 2024-10), not '{as_of}'"),
                   err=True)
        raise typer.Exit(2) from None
    try:
        return Snapshot(st.store(), framework, when.label if as_of else None, cycle=cycle)
    except KeyError as exc:
        reject([str(exc)])


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): (None if not isinstance(v, dict | list) and pd.isna(v) else v) for k, v in r.items()}
            for r in df.to_dict("records")]


def _notes(st: State, df: pd.DataFrame, fmt: Format) -> None:
    """Notes under a table; json and csv stay pure data (the API has them in ``attrs["notes"]``)."""
    if fmt != Format.table:
        return
    for n in df.attrs.get("notes", []):
        console.print(n["en"] if st.lang == "en" else n["zh"], markup=False, highlight=False)


def _show_list(st: State, records: list[dict[str, Any]], title: str) -> None:
    """The supervision list as a compact table: ids and dates stay whole, only the text folds."""
    from rich.table import Table

    en = st.lang == "en"
    cols = ["severity", "item", "unit", "reference", "since", "days_overdue", "owed"]
    table = Table(title=title)
    for n, c in enumerate(cols):
        table.add_column(vocab.header(c, st.lang), overflow="fold", no_wrap=n < len(cols) - 1)
    for r in records:
        unit = r.get("unit_name_en" if en else "unit_name_zh") or r["unit"]
        table.add_row(vocab.severity(r["severity"], st.lang), r["item"], unit, r["reference"], r["since"] or "",
                      "" if r["days_overdue"] is None else str(r["days_overdue"]), r["owed_en" if en else "owed_zh"])
    console.print(table)


def _cycle(since: str | None) -> ReportingCycle:
    base = ReportingCycle.from_env()
    return ReportingCycle(base.frequency, base.grace_days, since or base.start)


def register(app: typer.Typer) -> None:
    @duties_app.command("import")
    def duties_import(
        ctx: typer.Context,
        path: Annotated[Path, typer.Argument(help="XLSX, CSV or YAML table")],
        framework: FrameworkOpt = BUILTIN_DEFAULT,
        fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
    ) -> None:
        """导入分工方案（全部通过才写入）Import a division of responsibility; all or nothing."""
        st = state(ctx)
        result = import_duties(st.store(), path, st.who(), framework_id=framework)
        payload = {"ok": result.ok, "problems": [p.to_dict() for p in result.problems], "items": result.items,
                   "responsibilities": result.responsibilities, "milestones": result.milestones,
                   "filled": result.filled}
        if import_answered(fmt, result.ok, payload,
                           [st.t(f"分工方案有 {len(result.problems)} 处错误，未导入任何内容：",
                                 f"{len(result.problems)} problem(s) in the table; nothing was imported:")]
                           + [p.format(st.lang) for p in result.problems]):
            return
        console.print(st.t(
            f"已导入 {len(result.items)} 个规划事项的分工：{result.responsibilities} 条责任，新增阶段目标 {result.milestones} 个，"
            f"补充阶段目标内容 {result.filled} 个",
            f"imported the division for {len(result.items)} plan items: {result.responsibilities} responsibilities, "
            f"{result.milestones} milestones added, {result.filled} milestone texts filled"))

    @duties_app.command("export")
    def duties_export(
        ctx: typer.Context,
        path: Annotated[Path, typer.Argument(help="Output .xlsx, .csv or .yaml")],
        framework: FrameworkOpt = BUILTIN_DEFAULT,
    ) -> None:
        """导出分工方案 Export the current division of responsibility."""
        st = state(ctx)
        export_duties(st.store(), path, framework_id=framework)
        console.print(st.t(f"已写出 {path}", f"wrote {path}"))

    @report_app.command("add")
    def report_add(
        ctx: typer.Context,
        item: Annotated[str, typer.Option("--item", help="Plan item or milestone id (T1, A3, A1-M2023)")],
        unit: Annotated[str, typer.Option("--unit", help="Reporting unit id")],
        period: Annotated[str, typer.Option("--period", help="2024, 2024Q2 or 2024-06")],
        status: Annotated[str, typer.Option("--status", help="not_started|on_schedule|delayed|done, or the Chinese word (未启动, 按计划推进, 滞后, 已完成)")],
        share: Annotated[str | None, typer.Option("--share", help="Share done: 0.6 or 60%")] = None,
        narrative: Annotated[str, typer.Option("--narrative")] = "",
        evidence: Annotated[list[Path] | None, typer.Option("--evidence", help="Evidence file (repeatable)")] = None,
        reported_on: Annotated[str | None, typer.Option("--reported-on", help="Date of the report (default today)")] = None,
        framework: FrameworkOpt = BUILTIN_DEFAULT,
    ) -> None:
        """报送进展情况（新修订版本，不覆盖）Add a progress report (a new revision; nothing overwritten)."""
        st = state(ctx)
        on = _date(st, reported_on, "--reported-on") if reported_on else None
        try:
            rid = add_progress_report(st.store(), item, unit, period, status, st.who(), share_done=share,
                                      narrative=narrative, evidence=evidence or [], reported_on=on,
                                      framework_id=framework)
        except ProgressReportRejected as exc:
            reject(exc.messages(st.lang))
        console.print(st.t(f"已保存进展报告 #{rid}", f"progress report #{rid} saved"))

    @report_app.command("list")
    def report_list(
        ctx: typer.Context,
        item: Annotated[str | None, typer.Option("--item")] = None,
        unit: Annotated[str | None, typer.Option("--unit")] = None,
        period: Annotated[str | None, typer.Option("--period")] = None,
        all_revisions: Annotated[bool, typer.Option("--all-revisions", help="Every revision, not only the current")] = False,
        framework: FrameworkOpt = BUILTIN_DEFAULT,
        fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
    ) -> None:
        """列出进展报告 List progress reports."""
        st = state(ctx)
        df = list_progress_reports(st.store(), item, unit, period, all_revisions, framework_id=framework)
        cols = None
        if fmt == Format.table:
            cols = ["id", "item", "unit", "period", f"status_{st.lang}", "share_done", "revision", "reported_on",
                    "late", "evidence"]
            df = df.assign(share_done=df["share_done"].map(lambda v: vocab.share(v) if pd.notna(v) else None))
        emit(_records(df), fmt, cols, title=st.t("进展报告", "Progress reports"))

    _register_supervision(app)
    app.add_typer(duties_app, name="duties")
    app.add_typer(report_app, name="progress-report")


def _register_supervision(app: typer.Typer) -> None:
    """supervise, scorecard, remind: parts of the snapshot as of a date."""
    @app.command("supervise")
    def supervise_cmd(
        ctx: typer.Context,
        as_of: AsOfOpt = None,
        unit: Annotated[str | None, typer.Option("--unit", help="Only this unit")] = None,
        framework: FrameworkOpt = BUILTIN_DEFAULT,
        fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
    ) -> None:
        """督办清单 The supervision list as of a date: overdue milestones, missing reports, delays, lagging indicators."""
        st = state(ctx)
        snap = _snapshot(st, as_of, framework)
        if unit is not None:
            unit = known_unit(st, snap.framework, unit)
        df = snap.supervision
        if unit is not None:
            df = df[df.unit == unit]
        title = st.t(f"督办清单（截至 {df.attrs['as_of']}）", f"Supervision list as of {df.attrs['as_of']}")
        if fmt == Format.table:
            _show_list(st, _records(df), title)
        else:
            emit(_records(df), fmt)
        _notes(st, df, fmt)

    @app.command("scorecard")
    def scorecard_cmd(
        ctx: typer.Context,
        unit: Annotated[str | None, typer.Option("--unit", help="Only this unit")] = None,
        as_of: AsOfOpt = None,
        since: Annotated[str | None, typer.Option("--since", help="First reporting period owed (default: plan start)")] = None,
        framework: FrameworkOpt = BUILTIN_DEFAULT,
        fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
    ) -> None:
        """单位考评表 Unit scorecard: on-time reporting, milestones met, delays, indicators led."""
        st = state(ctx)
        snap = _snapshot(st, as_of, framework, _cycle(since))
        if unit is not None:
            unit = known_unit(st, snap.framework, unit)
        try:
            df = snap.scorecard(unit) if unit is not None else snap.scorecards
        except KeyError as exc:
            reject([str(exc)])
        cols = None
        if fmt == Format.table:
            cols = ["unit", f"unit_name_{st.lang}", "items_led", "reports_owed", "reports_on_time", "reports_late",
                    "on_time_rate", "milestones_due", "milestones_met_on_time", "items_delayed", "indicators_lagging"]
            df = df.assign(on_time_rate=df["on_time_rate"].map(lambda v: vocab.share(v) if pd.notna(v) else None))
        emit(_records(df), fmt, cols, title=st.t("单位考评表", "Unit scorecard"))
        _notes(st, df, fmt)

    @app.command("remind")
    def remind_cmd(
        ctx: typer.Context,
        output: Annotated[Path, typer.Option("-o", "--output", help="Output .xlsx or .csv")],
        as_of: AsOfOpt = None,
        unit: Annotated[str | None, typer.Option("--unit", help="Only this unit")] = None,
        framework: FrameworkOpt = BUILTIN_DEFAULT,
    ) -> None:
        """导出催办提醒 Export the reminders (units and what each owes) as XLSX or CSV."""
        st = state(ctx)
        if output.suffix.lower() not in (".xlsx", ".csv"):
            typer.echo(st.t("输出文件应为 .xlsx 或 .csv", "the output must be .xlsx or .csv"), err=True)
            raise typer.Exit(2)
        snap = _snapshot(st, as_of, framework)
        n = export_reminders(st.store(), output, snap.as_of.day, framework_id=framework, lang=st.lang, unit=unit,
                             assessed=snap.assessments)
        console.print(st.t(f"已写出 {n} 条提醒到 {output}", f"wrote {n} reminders to {output}"))

