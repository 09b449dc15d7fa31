"""``planmon progress`` and ``planmon risks``: assessments and risk flags (thin layer over planmon.monitor)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer

from planmon import vocab
from planmon.cli.context import Format, State, emit, known_unit, refuse, reject, reject_not_loaded, state
from planmon.evaluate.form_outcomes import achieved_text
from planmon.framework import BUILTIN_DEFAULT
from planmon.framework.model import Indicator
from planmon.monitor import CONTRACT_COLUMNS, RISK_COLUMNS, assess, find_risks
from planmon.monitor.store_io import store_targets, unit_specs
from planmon.monitor.table import read_table
from planmon.refusal import Refusal
from planmon.snapshot import Snapshot
from planmon.spreadsheet import neutralise

UNIT_OPT = typer.Option("--unit", help="Only this unit (e.g. CN, 330000)")
SCHEME_OPT = typer.Option("--scheme", help="ndrc (default), opensdg, unsd, sdsn")
AS_OF_OPT = typer.Option("--as-of", help="Assess as of this period (2024, 2024Q3, 2024-10)")
INPUT_OPT = typer.Option("--input", help="CSV: indicator,unit,direction,baseline_period,baseline,"
                                        "target_period,target,period,value")
FORMAT_OPT = typer.Option("--format", "-f")
PARAMS_OPT = typer.Option("--params", help="JSON file of thresholds, e.g. {\"delta\": 0.05}")
FW_OPT = typer.Option("--framework", help="Framework id in the database")



def _load_json(path: Path | None, st: State) -> dict[str, Any] | None:
    if path is None:
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        reject([st.t(f"无法读取参数文件 {path}：{exc}", f"cannot read parameter file {path}: {exc}")])
    if not isinstance(data, dict):
        reject([st.t(f"参数文件 {path} 应为 JSON 对象", f"parameter file {path} must hold a JSON object")])
    return data


def _inputs(st: State, input_file: Path | None, unit: str | None, framework: str
            ) -> tuple[pd.DataFrame, pd.DataFrame]:
    if input_file is not None:
        obs, specs = read_table(input_file)
        if unit is not None:
            if not (specs["unit"] == unit).any():
                reject([st.t(f"输入文件 {input_file} 中没有单位“{unit}”", f"unit '{unit}' is not in {input_file}")])
            obs = obs[obs["unit"] == unit]
            specs = specs[specs["unit"] == unit]
        return obs, specs
    store = st.store()
    try:
        fw = store.framework(framework) if store.revision() is not None else None
    except KeyError:
        fw = None
    if fw is None:
        reject_not_loaded(st, framework)
    if unit is not None:
        unit = known_unit(st, fw, unit)
    obs = store.current_observations(framework, unit=unit)
    return obs, unit_specs(fw, obs, unit, store_targets(store, framework, unit))


def _snapshot(st: State, framework: str, as_of: str | None) -> Snapshot:
    """The store's snapshot at ``as_of``: the assessments and risks every other face shows."""
    store = st.store()
    try:
        if store.revision() is None:
            raise KeyError(framework)
        return Snapshot(store, framework, as_of)
    except KeyError:
        reject_not_loaded(st, framework)


def _records(df: pd.DataFrame, columns: list[str], fmt: Format) -> list[dict[str, Any]]:
    recs: list[dict[str, Any]] = [
        {str(k): v for k, v in r.items()}
        for r in df[columns].astype(object).where(df[columns].notna(), None).to_dict("records")
    ]
    if fmt == Format.csv:
        recs = [{k: neutralise(v) for k, v in r.items()} for r in recs]
    return recs


def _latest(r: Any, shown: str, indicators: dict[str, Indicator], lang: str) -> str:
    """The latest value; for a growth or cumulative target, with what it achieved so far in words
    ("-0.1 (2022)；累计下降 2.80%"): a bare signed rate of a 降低 indicator is easily misread."""
    form, ind = str(r.get("target_form") or "level"), indicators.get(str(r["indicator"]))
    a = r.get("achieved_change")
    if form not in ("annual_growth", "cumulative_change") or ind is None or not shown or pd.isna(a):
        return shown
    pct = form == "annual_growth" or ind.change_unit != "units"
    row = {"display_zh": shown, "display_en": shown, "achieved": float(a), "target_form": form,
           "achieved_unit": "%" if pct else "units"}
    return achieved_text(row, lang, (ind.unit_en or ind.unit) if lang == "en" else ind.unit)


def register(app: typer.Typer) -> None:
    @app.command("progress")
    def progress(
        ctx: typer.Context,
        unit: Annotated[str | None, UNIT_OPT] = None,
        scheme: Annotated[str, SCHEME_OPT] = "ndrc",
        as_of: Annotated[str | None, AS_OF_OPT] = None,
        input_file: Annotated[Path | None, INPUT_OPT] = None,
        fmt: Annotated[Format, FORMAT_OPT] = Format.table,
        params_file: Annotated[Path | None, PARAMS_OPT] = None,
        framework: Annotated[str, FW_OPT] = BUILTIN_DEFAULT,
    ) -> None:
        """指标进展评估 Where every indicator stands against its target."""
        st = state(ctx)
        params = _load_json(params_file, st)
        indicators: dict[str, Indicator] = {}
        try:
            if input_file is None and params is None:  # the store's snapshot, as every face shows it
                snap = _snapshot(st, framework, as_of)
                indicators = {i.id: i for i in snap.framework.indicators}
                unit = known_unit(st, snap.framework, unit) if unit is not None else None
                df = snap.assessments_for(unit, scheme) if unit is not None else snap.assessment(scheme)
            else:
                obs, specs = _inputs(st, input_file, unit, framework)
                df = assess(obs, specs, as_of=as_of, scheme=scheme, params=params)
        except Refusal as exc:  # InputError, ParamError, PeriodError: each says where and why
            refuse(st, exc)
        if fmt != Format.table:
            cols = [*CONTRACT_COLUMNS, *[c for c in df.columns if c not in CONTRACT_COLUMNS]]
            emit(_records(df, cols, fmt), fmt, columns=cols)
            return
        lang = st.lang
        names, measures = _names(st, framework if input_file is None else None)

        def val(r: Any, col: str, period_col: str | None = None) -> str:
            if pd.isna(r[col]):
                return ""
            text = vocab.number(r[col], measures.get(str(r["indicator"])), str(r["indicator"]))
            return f"{text} ({r[period_col]})" if period_col else text

        rows = [{
            "indicator": _name(r), "unit": names.get(str(r["unit"]), r["unit"]),
            "latest": _latest(r, val(r, "latest", "latest_period"), indicators, lang),
            # a non-level target in words (issue 19): "年均增长 > 7%", "< 5.5（每年）"
            "target": val(r, "target", "target_period") or str(r.get("target_text_en" if lang == "en" else
                                                                    "target_text_zh") or ""),
            "target_basis": r["target_basis_zh"] if lang == "zh" else r["target_basis_en"],
            "progress_share": vocab.share(r["progress_share"]) if pd.notna(r["progress_share"]) else "",
            "time_share": vocab.share(r["time_share"]) if pd.notna(r["time_share"]) else "",
            "projected": val(r, "projected"),
            "status": vocab.status(r["status"], lang, scheme) + (
                st.t("（规划办认定）", " (entered by the planning office)") if r.get("entered") is True else ""),
        } for _, r in df.iterrows()]
        emit(rows, fmt, title=st.t(f"指标进展（方案 {scheme}）", f"Progress (scheme {scheme})"))
        for _, r in df.iterrows():
            text = r["notes_zh"] if lang == "zh" else r["notes"]
            if isinstance(text, str) and text:
                typer.echo(f"{_name(r)} {r['unit']}: {text}")

    @app.command("risks")
    def risks(
        ctx: typer.Context,
        unit: Annotated[str | None, UNIT_OPT] = None,
        scheme: Annotated[str, SCHEME_OPT] = "ndrc",
        as_of: Annotated[str | None, AS_OF_OPT] = None,
        input_file: Annotated[Path | None, INPUT_OPT] = None,
        fmt: Annotated[Format, FORMAT_OPT] = Format.table,
        params_file: Annotated[Path | None, PARAMS_OPT] = None,
        rules_file: Annotated[Path | None, typer.Option("--rules", help="JSON file of rule settings")] = None,
        framework: Annotated[str, FW_OPT] = BUILTIN_DEFAULT,
    ) -> None:
        """风险识别 Risk flags: which targets will be missed, where, and why."""
        st = state(ctx)
        params = _load_json(params_file, st)
        rules = _load_json(rules_file, st)
        try:
            if input_file is None and params is None and rules is None and scheme == "ndrc":
                snap = _snapshot(st, framework, as_of)
                unit = known_unit(st, snap.framework, unit) if unit is not None else None
                flags = snap.risks
                flags = flags[flags["unit"] == unit].reset_index(drop=True) if unit is not None else flags
            else:
                obs, specs = _inputs(st, input_file, unit, framework)
                df = assess(obs, specs, as_of=as_of, scheme=scheme, params=params)
                flags = find_risks(df, obs, specs, as_of=as_of, rules=rules)
        except Refusal as exc:  # InputError, ParamError, PeriodError: each says where and why
            refuse(st, exc)
        if fmt != Format.table:
            emit(_records(flags, RISK_COLUMNS, fmt), fmt, columns=RISK_COLUMNS)
            return
        rows = [{
            "rule": vocab.rule(r["rule"], st.lang), "severity": vocab.severity(r["severity"], st.lang),
            "message": r["message_zh"] if st.lang == "zh" else r["message_en"],
        } for _, r in flags.iterrows()]
        if not rows:
            typer.echo(st.t("未发现风险", "no risk found"))
            return
        emit(rows, fmt, title=st.t("风险提示", "Risk flags"))


def _names(st: State, framework: str | None) -> tuple[dict[str, str], dict[str, str]]:
    """Unit names in the reader's language and each indicator's unit of measure (empty without a framework)."""
    if framework is None:
        return {}, {}
    fw = st.store().framework(framework)
    en = st.lang == "en"
    names = {u.id: (u.name_en if en and u.name_en else u.name_zh) for u in fw.units}
    return names, {x.id: x.unit for x in fw.indicators}


def _name(r: pd.Series) -> str:
    """The indicator, with its series label for a breakdown row (issue 20: several series per indicator)."""
    label = r.get("series")
    return f"{r['indicator']} · {label}" if isinstance(label, str) and label else str(r["indicator"])
