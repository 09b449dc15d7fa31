"""``planmon evaluate final|midterm``: the plan's final (总结评估) or mid-term (中期评估) evaluation."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from planmon.cli.context import Format, State, console, dumps_json, emit, reject, state
from planmon.evaluate.form_outcomes import achieved_text
from planmon.quality import format_number

evaluate_app = typer.Typer(help="规划评估 Evaluate a plan: final (总结评估) or mid-term (中期评估).",
                           no_args_is_help=True)


def _s(v: object) -> str:
    return "" if v is None or (isinstance(v, float) and v != v) else str(v)


def _pct(v: object) -> str:
    return "" if v is None or v != v else f"{float(v):.1f}%"  # type: ignore[arg-type]


def _target(r: dict[Any, Any], en: bool) -> str:
    """The target as the plan prints it for a bound, a growth rate, a change or a relation ("<5.5", "〔13.5〕")."""
    if str(r.get("target_form") or "level") != "level":
        return _s(r.get("target_text_en" if en else "target_text_zh") or r.get("target_text_zh"))
    return "" if r["target"] != r["target"] else format_number(r["target"])


def _value(r: dict[Any, Any], en: bool) -> str:
    """The end value, with the achieved average rate or change of a growth or cumulative target."""
    return achieved_text(r, "en" if en else "zh", str(r.get("unit_en" if en else "unit_label") or ""))


def _run(st: State, kind: str, fmt: Format) -> None:
    from planmon.evaluate import evaluate

    store = st.store()
    if store.revision() is None:
        reject([st.t("数据库尚未初始化：请先运行 planmon init", "the database is not initialised: run 'planmon init' first")])
    plan = st.plan_id(final=kind == "final")
    try:
        ev = evaluate(store, plan, kind)  # type: ignore[arg-type]
    except KeyError:
        reject([st.t(f"数据库中没有规划“{plan}”（可用：{', '.join(store.framework_ids())}）",
                     f"plan '{plan}' is not in the database (available: {', '.join(store.framework_ids())})")])
    if fmt == Format.json:
        print(dumps_json(ev.to_dict(st.lang)))
        return
    en = st.lang == "en"
    rows = [
        {
            "id": r["indicator"], st.t("指标", "indicator"): r["name_en"] if en else r["name_zh"],
            st.t("基期值", "baseline"): "" if r["baseline"] != r["baseline"] else format_number(r["baseline"]),
            st.t("目标值", "target"): _target(r, en),
            st.t("实际值", "value"): _value(r, en),
            st.t("年份", "period"): _s(r["period"]),
            st.t("结果", "outcome"): r["outcome_en"] if en else r["outcome_zh"],
            st.t("达到目标%", "% of target"): _pct(r["pct_of_target"]),
            st.t("完成增量%", "% of change"): _pct(r["pct_of_planned_change"]),
            st.t("首次达到", "first reached"): _s(r["first_reached"]),
            st.t("中期", "mid-term"): r["midterm_label_en"] if en else r["midterm_label_zh"],
        }
        for r in ev.indicators.to_dict("records")
    ]
    if fmt == Format.csv:
        emit(rows, fmt)
        return
    title = ev.plan_title_en if en else ev.plan_title_zh
    what = st.t("总结评估" if kind == "final" else "中期评估", "final evaluation" if kind == "final" else "mid-term evaluation")
    console.print(f"[bold]{title} {what}[/bold]  ({ev.period_start}–{ev.period_end}, "
                  + st.t(f"评估年份 {ev.as_of}，框架版本 {ev.framework_version}", f"as of {ev.as_of}, framework {ev.framework_version}")
                  + ")")
    emit(rows, fmt, title=st.t("主要指标", "Main indicators"))
    labels = {"task": st.t("重大任务", "tasks"), "project": st.t("重点工程", "key projects"),
              "action": st.t("优先行动", "priority actions")}
    for k, counts in ev.item_counts.items():
        if not counts:  # the plan lists no such items (an outline's indicator table): no empty "重大任务:" line
            continue
        words = {"completed": st.t("完成", "completed"), "basically_completed": st.t("基本完成", "basically completed"),
                 "not_completed": st.t("未完成", "not completed"), "cannot_judge": st.t("无法判断", "cannot be judged")}
        console.print(f"{labels[k]}: " + ", ".join(f"{words[c]} {n}" for c, n in counts.items()))
    console.print("")
    console.print(st.t("生成的文字（须经核对后使用）：", "Generated text (check before use):"))
    console.print(ev.summary(st.lang), markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    @evaluate_app.command("final")
    def final(ctx: typer.Context, fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.table) -> None:
        """总结评估：各指标期末是否实现目标及程度、任务工程行动完成情况、与中期对比、地区结果。"""
        _run(state(ctx), "final", fmt)

    @evaluate_app.command("midterm")
    def midterm(ctx: typer.Context, fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.table) -> None:
        """中期评估：规划期过半时各指标进展（提前实现 / 快于预期 / 基本符合预期 / 滞后）。"""
        _run(state(ctx), "midterm", fmt)

    app.add_typer(evaluate_app, name="evaluate")
