"""``planmon pilots …`` (registry, state changes, evaluation) and ``planmon projects import|similar|review``
(duplicated construction): thin layers over :mod:`planmon.pilots` and :mod:`planmon.projects`."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from planmon.cli.context import Format, State, console, dumps_json, emit, import_answered, reject, state
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
    _register_projects(app)

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
        if import_answered(fmt, result.ok, result.to_dict(),
                           [refusal_message(result).get(st.lang)] + [f.format(st.lang) for f in result.findings]):
            return
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


projects_app = typer.Typer(help="信息化项目 Projects: import, likely duplicates, the review queue.", no_args_is_help=True)


def _show_candidates(st: State, cands: list[Any], fmt: Format, title: str) -> None:
    if fmt == Format.json:
        print(dumps_json([c.to_dict() for c in cands]))
        return
    rows = [{"project": c.project.id, "other": c.other.id, "other_name": c.other.name, "score": round(c.score, 3),
             "reasons": "；".join(r["en" if st.lang == "en" else "zh"] for r in c.reasons)} for c in cands]
    emit(rows, fmt, ["project", "other", "other_name", "score", "reasons"], title=title)


def _register_projects(app: typer.Typer) -> None:
    from planmon.projects import ReviewRefused, decide, import_projects, queue, similar_to
    from planmon.projects.model import Project
    from planmon.projects.similar import THRESHOLD

    app.add_typer(projects_app, name="projects")

    @projects_app.command("import")
    def projects_import(ctx: typer.Context, path: Annotated[Path, typer.Argument(help="XLSX or CSV of projects")],
                        fmt: FmtOpt = Format.table) -> None:
        """导入项目（全部通过才写入），并查找可能的重复建设 Import projects (all or nothing) and queue likely duplicates."""
        st = state(ctx)
        result = import_projects(st.store(), path, st.who())
        if import_answered(fmt, result.ok, result.to_dict(),
                           [st.t(f"项目文件有 {len(result.findings)} 处错误，未导入任何内容：",
                                 f"{len(result.findings)} problem(s) in the projects file; nothing was imported:")]
                           + [f.format(st.lang) for f in result.findings]):
            return
        console.print(st.t(f"已导入 {result.added} 个项目（{result.unchanged} 个已存在）；发现 {len(result.candidates)} 对可能重复",
                           f"imported {result.added} projects ({result.unchanged} already there); "
                           f"{len(result.candidates)} likely duplicate pair(s)"))
        if result.candidates:
            _show_candidates(st, result.candidates, fmt, st.t("可能的重复建设", "Likely duplicates"))

    @projects_app.command("similar")
    def projects_similar(
        ctx: typer.Context,
        project: Annotated[str | None, typer.Argument(help="A stored project id")] = None,
        name: Annotated[str | None, typer.Option("--name", help="Or describe a new project: its name")] = None,
        description: Annotated[str, typer.Option("--description")] = "",
        area: Annotated[str | None, typer.Option("--area", help="GB/T 2260 code")] = None,
        functions: Annotated[str, typer.Option("--functions", help="Tags, comma separated")] = "",
        start: Annotated[str | None, typer.Option("--start")] = None,
        end: Annotated[str | None, typer.Option("--end")] = None,
        k: Annotated[int, typer.Option("--top", min=1, max=100)] = 10,
        threshold: Annotated[float, typer.Option("--threshold", min=0.0, max=1.0)] = THRESHOLD,
        fmt: FmtOpt = Format.table,
    ) -> None:
        """查找可能重复的项目（附理由）Likely duplicates of a stored or a described project, with reasons."""
        st = state(ctx)
        if (project is None) == (name is None):
            typer.echo(st.t("请给出项目编号，或用 --name 描述一个新项目（二者选一）",
                            "give a project id, or describe a new project with --name (one of the two)"), err=True)
            raise typer.Exit(2)
        target: Any = project
        if name is not None:
            target = Project.from_row({"id": "(new)", "name": name, "description": description, "area_code": area,
                                       "functions": functions, "start": start, "end": end})
        try:
            cands = similar_to(st.store(), target, k=k, threshold=threshold)
        except StopIteration:
            reject([st.t(f"没有项目 {project}", f"no project {project}")])
        _show_candidates(st, cands, fmt, st.t("可能的重复建设", "Likely duplicates"))

    @projects_app.command("review")
    def projects_review(
        ctx: typer.Context,
        pair: Annotated[int | None, typer.Argument(help="Pair id to decide (omit to list the queue)")] = None,
        confirm: Annotated[bool, typer.Option("--confirm", help="Confirm the pair as duplicated construction")] = False,
        dismiss: Annotated[bool, typer.Option("--dismiss", help="Dismiss the pair")] = False,
        reason: Annotated[str, typer.Option("--reason")] = "",
        state_: Annotated[str, typer.Option("--state", help="open|confirmed|dismissed|all")] = "open",
        fmt: FmtOpt = Format.table,
    ) -> None:
        """重复建设审核队列：列出，或确认/排除（须说明理由）The review queue: list, or confirm/dismiss with a reason."""
        st = state(ctx)
        store = st.store()
        store.migrate()
        if pair is None:
            rows = queue(store, None if state_ == "all" else state_)
            if fmt == Format.table:
                rows = [{"id": r["id"], "a": f"{r['a']['id']} {r['a']['name']}", "b": f"{r['b']['id']} {r['b']['name']}",
                         "score": round(r["score"], 3), "state": r["state"], "reason": r["decision_reason"]}
                        for r in rows]
            emit(rows, fmt, title=st.t("重复建设审核队列", "Duplicate-review queue"))
            return
        if confirm == dismiss:
            typer.echo(st.t("请用 --confirm 或 --dismiss 之一", "use one of --confirm or --dismiss"), err=True)
            raise typer.Exit(2)
        try:
            rec = decide(store, pair, "confirm" if confirm else "dismiss", reason, st.who())
        except ReviewRefused as exc:
            reject([exc.message_en if st.lang == "en" else exc.message_zh])
        if fmt == Format.json:
            print(dumps_json(rec))
            return
        console.print(st.t(f"候选重复对 #{pair} 已{'确认' if confirm else '排除'}", f"pair #{pair} {rec['state']}"))


@pilots_app.command("demo")
def demo_cmd(ctx: typer.Context) -> None:
    """生成示意试点数据（标注为示意）Add illustrative pilots, targets and values (labelled illustrative)."""
    from planmon.pilots.illustrative import generate_illustrative

    st = state(ctx)
    ids = generate_illustrative(st.store(), st.who())
    console.print(st.t(f"已生成 {len(ids)} 个示意试点（中小企业数字化转型城市试点，第 90 批，名称标注【示意】）",
                       f"{len(ids)} illustrative pilots added (SMEDX, batch 90, names marked 【示意】)"))


@pilots_app.command("template")
def template_cmd(
    ctx: typer.Context,
    programme: Annotated[str, typer.Option("--programme", "-p")],
    period: Annotated[str, typer.Option("--period", help="2025, 2025Q2 …")],
    output: Annotated[Path, typer.Option("-o", "--output")],
) -> None:
    """试点进展填报模板 The progress workbook a programme's active pilots fill for a period."""
    from planmon.periods import PeriodError
    from planmon.pilots.evaluation import ProgressRefused, progress_template

    st = state(ctx)
    try:
        n = progress_template(_store(st), programme, period, output, st.lang)
    except ProgressRefused as exc:
        reject(exc.messages_en if st.lang == "en" else exc.messages_zh)
    except PeriodError as exc:
        reject([exc.message_en if st.lang == "en" else exc.message_zh])
    console.print(st.t(f"已写出 {output}（{n} 行待填）", f"wrote {output} ({n} rows to fill)"))


@pilots_app.command("progress")
def progress_cmd(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="Filled progress workbook or CSV")],
    programme: Annotated[str, typer.Option("--programme", "-p")],
    reason: Annotated[str, typer.Option("--reason", help="Why values change (for revisions)")] = "",
) -> None:
    """导入试点进展数据（全部通过才写入；修改即新修订）Import pilots' reported values: all or nothing, revisions kept."""
    from planmon.pilots.evaluation import ProgressRefused, read_progress, write_progress

    st = state(ctx)
    try:
        res = write_progress(_store(st), programme, read_progress(path), st.who(), reason=reason, source=path.name)
    except ProgressRefused as exc:
        reject([st.t(f"{path.name}：有错误，未导入任何内容", f"{path.name}: refused, nothing imported")]
               + (exc.messages_en if st.lang == "en" else exc.messages_zh))
    console.print(st.t(f"新增 {res['added']}，修订 {res['revised']}，未变 {res['unchanged']}",
                       f"{res['added']} added, {res['revised']} revised, {res['unchanged']} unchanged"))


@pilots_app.command("evaluate")
def evaluate_cmd(
    ctx: typer.Context,
    programme: Annotated[str, typer.Argument(help="Programme id (planmon pilots programmes)")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="Date YYYY-MM-DD (default today)")] = None,
    replications: Annotated[int, typer.Option("--replications", min=10, max=100000)] = 200,
    fmt: FmtOpt = Format.table,
) -> None:
    """试点评价：对照自身目标监测、项目内评分与排名区间、退出候选 Evaluate a programme's pilots."""
    from planmon.pilots.evaluation import ProgressRefused, evaluate_programme

    st = state(ctx)
    try:
        ev = evaluate_programme(_store(st), programme, _day(st, as_of, "--as-of"), n=replications)
    except ProgressRefused as exc:
        reject(exc.messages_en if st.lang == "en" else exc.messages_zh)
    if fmt == Format.json:
        print(dumps_json(ev.to_dict()))
        return
    for n in ev.notes:
        console.print(n["en"] if st.lang == "en" else n["zh"], markup=False, highlight=False)
    rows = [{"pilot": r["pilot"], "score": round(r["score"], 1), "rank": int(r["rank"]),
             "interval": f"{int(r['rank_q05'])}–{int(r['rank_q95'])}"} for r in ev.scores.to_dict("records")]
    emit(rows, fmt, title=st.t(f"试点评分（{ev.as_of}）", f"Pilot scores ({ev.as_of})"))
    emit([{"pilot": c.pilot, "rule": c.rule, "evidence": c.text_en if st.lang == "en" else c.text_zh}
          for c in ev.candidates], fmt, title=st.t("退出候选", "Exit candidates"))
