"""``planmon index``: build a composite index (COINr-format files or the store), with
optional uncertainty and sensitivity analysis."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from planmon import vocab
from planmon.cli.context import Format, State, console, dumps_json, emit, refuse, reject, state
from planmon.jsonsafe import jsonable
from planmon.periods import Period
from planmon.refusal import Refusal
from planmon.spreadsheet import neutralise


def _safe(v: Any) -> Any:
    """CSV cells: full precision for numbers; text with a leading = + - @ is quoted (formula injection)."""
    if isinstance(v, float):
        return "" if v != v else repr(v)
    return neutralise(v)


def _snapshot_index(st: State, framework: str | None, period: str | None, uncertainty: int | None,
                    seed: int | None, fmt: Format) -> None:
    """``planmon index`` on the store: the snapshot's ranking (the published evaluation, the comparison
    period its rule picks as of ``--period``), the numbers the report and the web show."""
    from planmon.framework import BUILTIN_DEFAULT
    from planmon.snapshot import Snapshot

    try:
        snap = Snapshot(st.store(), framework or BUILTIN_DEFAULT, period, replications=uncertainty, seed=seed)
        part = snap.index
    except Refusal as exc:
        refuse(st, exc)
    except KeyError as exc:
        reject([str(exc)])
    c = snap.comparison
    reason = c.reason.en if st.lang == "en" else c.reason.zh
    if part is None:
        why = snap.index_refusal
        reject([reason] + ([why.get(st.lang)] if why else []))
    aggs = [str(k) for k in part.scores.columns if k not in ("uCode", "uName")]
    table = part.scores[["uCode", *aggs]].assign(rank=part.ranks[part.root].to_numpy())
    out: dict[str, Any] = {"scores": jsonable(table), "spec": part.spec, "data_hash": part.data_hash,
                           "period": Period.parse(part.period).time, "as_of": snap.as_of.label,
                           "comparison": c.to_dict(), "snapshot": snap.content_hash, "log": jsonable(part.log)}
    if part.uncertainty is not None:
        out["uncertainty"] = {"n": part.replications, "seed": part.seed,
                              "ranks": jsonable(part.uncertainty[["uCode", "nominal", "median", "q05", "q95"]])}
    cols = ["uCode", *aggs, "rank"]
    if fmt == Format.json:
        print(dumps_json(out))
        return
    if fmt == Format.csv:
        emit([{k: _safe(r[k]) for k in cols} for r in out["scores"]], fmt, cols)
        return
    names = _unit_names(st, True)
    ordered: list[dict[str, Any]] = sorted(out["scores"], key=lambda r: (r["rank"] is None, r["rank"] or 0))
    shown = [{**r, "uCode": names.get(str(r["uCode"]), r["uCode"]), **{a: vocab.number(r[a], "score") for a in aggs}}
             for r in ordered]
    emit(shown, fmt, cols, title=st.t(f"综合指数得分（{part.period} 年，{part.units} 个单位）",
                                      f"Index scores ({part.period}, {part.units} units)"), names={a: a for a in aggs})
    console.print(reason, markup=False, highlight=False)
    if "uncertainty" in out:
        ranks = [{**r, "uCode": names.get(str(r["uCode"]), r["uCode"])} for r in out["uncertainty"]["ranks"]]
        emit(ranks, fmt, title=st.t(f"不确定性分析（{part.replications} 次）", f"Uncertainty ({part.replications} runs)"))


def register(app: typer.Typer) -> None:
    @app.command("index")
    def index_cmd(
        ctx: typer.Context,
        data: Annotated[Path | None, typer.Option("--data", help="COINr iData CSV")] = None,
        meta: Annotated[Path | None, typer.Option("--meta", help="COINr iMeta CSV")] = None,
        spec: Annotated[Path | None, typer.Option("--spec", help="YAML spec (default: COINr's default pipeline)")] = None,
        uncertainty: Annotated[int | None, typer.Option("--uncertainty", min=1, help="Monte Carlo replications")] = None,
        sensitivity: Annotated[int | None, typer.Option("--sensitivity", min=2, help="Sobol base sample N")] = None,
        seed: Annotated[int | None, typer.Option("--seed", help="Seed (default 0; on the store: the plan's "
                                                                   "published evaluation)")] = None,
        period: Annotated[str | None, typer.Option("--period", help="Period to report (panel or stored data)")] = None,
        framework: Annotated[str | None, typer.Option("--framework", help="Stored framework id")] = None,
        unit_column: Annotated[str | None, typer.Option("--unit-column", help="iData column holding the unit code (default uCode)")] = None,
        time_column: Annotated[str | None, typer.Option("--time-column", help="iData column holding the period (default Time)")] = None,
        fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
    ) -> None:
        """综合指数 Build a composite index; scores at every level and the rank of the top level."""
        from planmon.index import IndexInputError, read_coinr, run_index
        from planmon.index.store_input import from_store, period_time

        st = state(ctx)
        if (data is None) != (meta is None):
            console.print(st.t("--data 与 --meta 须同时给出", "--data and --meta go together"))
            raise typer.Exit(2)
        if spec is not None and not spec.exists():
            reject([st.t(f"找不到规格文件 {spec}", f"spec file not found: {spec}")])
        if data is None and spec is None and sensitivity is None:  # the store's snapshot, as every face shows it
            _snapshot_index(st, framework, period, uncertainty, seed, fmt)
            return
        seed = 0 if seed is None else seed
        try:
            if data is not None and meta is not None:
                idata, imeta = read_coinr(data, meta, unit_column, time_column)
                per: Any = period
            else:
                from planmon.framework import BUILTIN_DEFAULT

                idata, imeta = from_store(st.store(), framework or BUILTIN_DEFAULT)
                per = period_time(period)
            run = run_index(idata, imeta, spec, period=per)
            out: dict[str, Any] = run.to_dict()
            out = {"scores": out["scores"], "spec": out["spec"], "data_hash": out["data_hash"], "period": out["period"],
                   "log": out["log"]}
            if uncertainty:
                ua = run.uncertainty(uncertainty, seed)
                out["uncertainty"] = {"n": uncertainty, "seed": seed,
                                      "ranks": ua[["uCode", "nominal", "median", "q05", "q95"]].to_dict(orient="records")}
            if sensitivity:
                out["sensitivity"] = run.sensitivity(sensitivity, seed).to_dict(orient="records")
        except IndexInputError as exc:
            reject(exc.format(st.lang))
        except KeyError as exc:
            reject([str(exc)])
        cols = ["uCode", *run.tree.aggregates, "rank"]
        if fmt == Format.json:
            print(dumps_json(out))
            return
        if fmt == Format.csv:
            emit([{k: _safe(r[k]) for k in cols} for r in out["scores"]], fmt, cols)
            return
        recs = sorted(out["scores"], key=lambda r: (r["rank"] is None, r["rank"] or 0))
        names = _unit_names(st, data is None)
        shown = [{**r, "uCode": names.get(str(r["uCode"]), r["uCode"]),
                  **{a: vocab.number(r[a], "score") for a in run.tree.aggregates}} for r in recs]
        aggregate_names = {a: a for a in run.tree.aggregates}  # the index tree's own names (identifiers of the spec)
        emit(shown, fmt, cols, title=st.t("综合指数得分", "Index scores"), names=aggregate_names)
        choices = [{"step": e["step"], "choices": json.dumps(e.get("resolved", e["params"]), ensure_ascii=False, default=str)
                    + (f" → k = {e['info']['retained']}: {e['info']['why'][st.lang]}" if "why" in e.get("info", {}) else "")}
                   for e in out["log"]]
        emit(choices, fmt, ["step", "choices"], title=st.t("运行记录：每一步的选择（含默认值）", "Run log: every choice (defaults included)"))
        if "uncertainty" in out:
            ranks = [{**r, "uCode": names.get(str(r["uCode"]), r["uCode"])} for r in out["uncertainty"]["ranks"]]
            emit(ranks, fmt, title=st.t(f"不确定性分析（{uncertainty} 次）", f"Uncertainty ({uncertainty} runs)"))
        if "sensitivity" in out:
            sens = out["sensitivity"]
            emit(sens, fmt, title=st.t("敏感性分析（Sobol 指数）", "Sensitivity (Sobol indices)"),
                 names={c: c for c in (sens[0].keys() if sens else []) if c not in vocab.HEADERS})


def _unit_names(st: Any, stored: bool) -> dict[str, str]:
    """Region names in the reader's language for stored data (COINr files keep their own codes)."""
    if not stored:
        return {}
    from planmon.framework import BUILTIN_DEFAULT

    try:
        fw = st.store().framework(BUILTIN_DEFAULT)
    except KeyError:
        return {}
    en = st.lang == "en"
    return {u.id: (u.name_en if en and u.name_en else u.name_zh) for u in fw.units}
