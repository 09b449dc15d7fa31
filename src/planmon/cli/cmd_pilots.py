"""``planmon pilots …`` (registry, state changes, evaluation) and ``planmon projects import|similar|review``
(duplicated construction): thin layers over :mod:`planmon.pilots` and :mod:`planmon.projects`."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from planmon.cli.context import Format, State, console, dumps_json, emit, reject, state
from planmon.pilots import (
    TransitionRefused,
    ensure_registry,
    export_registry,
    get_pilot,
    history,
    import_registry,
    list_pilots,
    programmes,
    state_label,
    transition,
)
from planmon.pilots.importer import refusal_message

pilots_app = typer.Typer(help="试点示范 Pilot and demonstration programmes: registry, evaluation, exit.",
                         no_args_is_help=True)

FmtOpt = Annotated[Format, typer.Option("--format", "-f")]


def _day(st: State, text: str | None, what: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        typer.echo(st.t(f"{what} 应为日期 YYYY-MM-DD，而不是“{text}”", f"{what} must be a date YYYY-MM-DD, not '{text}'"),
                   err=True)
        raise typer.Exit(2) from None


def _store(st: State) -> Any:
    store = st.store()
    ensure_registry(store)
    return store


def register(app: typer.Typer) -> None:
    app.add_typer(pilots_app, name="pilots")

    @pilots_app.command("programmes")
    def programmes_cmd(ctx: typer.Context, fmt: FmtOpt = Format.table) -> None:
        """试点项目 The declared programmes: departments, document, term, funding cap, states."""
        st = state(ctx)
        rows = [{"id": p.id, "name": p.name(st.lang), "departments": "、".join(p.departments),
                 "document_no": p.document_no, "term_years": p.term_years,
                 "funding_cap": p.funding.get("cap"), "states": ",".join(p.states)}
                for p in programmes(_store(st)).values()]
        emit(rows, fmt, title=st.t("试点项目", "Pilot programmes"))

    @pilots_app.command("list")
    def list_cmd(
        ctx: typer.Context,
        programme: Annotated[str | None, typer.Option("--programme", "-p")] = None,
        state_: Annotated[str | None, typer.Option("--state")] = None,
        fmt: FmtOpt = Format.table,
    ) -> None:
        """试点名录 The pilots, by programme and state."""
        st = state(ctx)
        rows = list_pilots(_store(st), programme, state_)
        if fmt == Format.table:
            rows = [{**r, "state": state_label(r["state"], st.lang)} for r in rows]
            emit(rows, fmt, ["id", "unit_name", "area_code", "level", "batch", "start", "end", "state", "state_since",
                             "budget", "revision"], title=st.t("试点名录", "Pilot registry"))
            return
        emit(rows, fmt)

    @pilots_app.command("show")
    def show_cmd(ctx: typer.Context, pilot: Annotated[str, typer.Argument(help="Pilot id")],
                 fmt: FmtOpt = Format.table) -> None:
        """一个试点及其全部修订和状态决定 One pilot with every revision and decision."""
        st = state(ctx)
        store = _store(st)
        try:
            rec = get_pilot(store, pilot)
        except KeyError:
            reject([st.t(f"没有试点 {pilot}", f"no pilot {pilot}")])
        hist = history(store, pilot)
        if fmt == Format.json:
            print(dumps_json({"pilot": rec, **hist}))
            return
        emit([{"field": k, "value": v} for k, v in rec.items()], fmt, title=rec["unit_name"])
        emit([{k: d[k] for k in ("from_state", "to_state", "decided_on", "reason", "created_by")}
              for d in hist["decisions"]], fmt, title=st.t("状态决定", "Decisions"))

    @pilots_app.command("import")
    def import_cmd(ctx: typer.Context, path: Annotated[Path, typer.Argument(help="XLSX or CSV")],
                   fmt: FmtOpt = Format.table) -> None:
        """导入试点名录（全部通过才写入）Import pilots and their own targets; all or nothing."""
        st = state(ctx)
        result = import_registry(st.store(), path, st.who())
        if fmt == Format.json:
            print(dumps_json(result.to_dict()))
            if not result.ok:
                raise typer.Exit(1)
            return
        if not result.ok:
            reject([refusal_message(result).get(st.lang)] + [f.format(st.lang) for f in result.findings])
        console.print(st.t(
            f"已导入 {path.name}：新增 {result.added}，修订 {result.revised}，未变 {result.unchanged}，"
            f"状态变更 {result.transitions}，指标目标 {result.targets}",
            f"imported {path.name}: {result.added} added, {result.revised} revised, {result.unchanged} unchanged, "
            f"{result.transitions} state changes, {result.targets} targets"))

    @pilots_app.command("export")
    def export_cmd(ctx: typer.Context, path: Annotated[Path, typer.Argument(help="Output .xlsx")],
                   programme: Annotated[str | None, typer.Option("--programme", "-p")] = None) -> None:
        """导出试点名录（可再导入）Export the registry as the workbook the import reads."""
        st = state(ctx)
        n = export_registry(_store(st), path, programme, st.lang)
        console.print(st.t(f"已写出 {path}（{n} 个试点）", f"wrote {path} ({n} pilots)"))

    @pilots_app.command("transition")
    def transition_cmd(
        ctx: typer.Context,
        pilot: Annotated[str, typer.Argument(help="Pilot id")],
        to: Annotated[str, typer.Option("--to", help="applied|approved|active|evaluated|graduated|exited")],
        reason: Annotated[str, typer.Option("--reason", help="Why (recorded with who and when)")] = "",
        on: Annotated[str | None, typer.Option("--on", help="Date of the decision YYYY-MM-DD (default today)")] = None,
        fmt: FmtOpt = Format.table,
    ) -> None:
        """变更试点状态（一步一变，须说明理由）Change a pilot's state: one step, with a reason."""
        st = state(ctx)
        try:
            rec = transition(_store(st), pilot, to, st.who(), reason, on=_day(st, on, "--on"))
        except TransitionRefused as exc:
            reject([exc.message_en if st.lang == "en" else exc.message_zh])
        if fmt == Format.json:
            print(dumps_json(rec))
            return
        console.print(st.t(f"试点 {pilot} 现为“{state_label(rec['state'])}”（修订 {rec['revision']}）",
                           f"pilot {pilot} is now '{rec['state']}' (revision {rec['revision']})"))
