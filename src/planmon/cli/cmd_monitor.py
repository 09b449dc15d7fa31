"""``planmon progress`` and ``planmon risks``: assessments and risk flags (thin layer over planmon.monitor)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer

from planmon.cli.context import Format, State, emit, reject, state
from planmon.framework import BUILTIN_DEFAULT
from planmon.monitor import CONTRACT_COLUMNS, RISK_COLUMNS, assess, find_risks
from planmon.monitor.schemes import label
from planmon.monitor.store_io import unit_specs
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
            obs = obs[obs["unit"] == unit]
            specs = specs[specs["unit"] == unit]
        return obs, specs
    store = st.store()
    try:
        fw = store.framework(framework) if store.revision() is not None else None
    except KeyError:
        fw = None
    if fw is None:
        reject([st.t(f"数据库中没有框架 {framework}：请先运行 planmon init",
                     f"framework {framework} is not in the database: run 'planmon init' first")])
    obs = store.current_observations(framework, unit=unit)
    return obs, unit_specs(fw, obs, unit)


def _snapshot(st: State, framework: str, as_of: str | None) -> Snapshot:
    """The store's snapshot at ``as_of``: the assessments and risks every other face shows."""
    store = st.store()
    try:
        if store.revision() is None:
            raise KeyError(framework)
        return Snapshot(store, framework, as_of)
    except KeyError:
        reject([st.t(f"数据库中没有框架 {framework}：请先运行 planmon init",
                     f"framework {framework} is not in the database: run 'planmon init' first")])


def _records(df: pd.DataFrame, columns: list[str], fmt: Format) -> list[dict[str, Any]]:
    recs: list[dict[str, Any]] = [
        {str(k): v for k, v in r.items()}
        for r in df[columns].astype(object).where(df[columns].notna(), None).to_dict("records")
    ]
    if fmt == Format.csv:
        recs = [{k: neutralise(v) for k, v in r.items()} for r in recs]
    return recs


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
        try:
            if input_file is None and params is None:  # the store's snapshot, as every face shows it
                snap = _snapshot(st, framework, as_of)
                df = snap.assessments_for(unit, scheme) if unit is not None else snap.assessment(scheme)
            else:
                obs, specs = _inputs(st, input_file, unit, framework)
                df = assess(obs, specs, as_of=as_of, scheme=scheme, params=params)
        except Refusal as exc:  # InputError, ParamError, PeriodError: each says where and why
            reject(exc.lines(st.lang))
        if fmt != Format.table:
            cols = [*CONTRACT_COLUMNS, *[c for c in df.columns if c not in CONTRACT_COLUMNS]]
            emit(_records(df, cols, fmt), fmt, columns=cols)
            return
        lang = st.lang
        rows = [{
            st.t("指标", "indicator"): _name(r), st.t("单位", "unit"): r["unit"],
            st.t("最新", "latest"): f"{r['latest']:.6g} ({r['latest_period']})" if pd.notna(r["latest"]) else "",
            st.t("目标", "target"): f"{r['target']:.6g} ({r['target_period']})" if pd.notna(r["target"]) else "",
            st.t("完成进度", "progress"): f"{r['progress_share']:.0%}" if pd.notna(r["progress_share"]) else "",
            st.t("时间进度", "time"): f"{r['time_share']:.0%}" if pd.notna(r["time_share"]) else "",
            st.t("预测", "projected"): f"{r['projected']:.6g}" if pd.notna(r["projected"]) else "",
            st.t("状态", "status"): label(scheme, r["status"], lang),
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
                flags = _snapshot(st, framework, as_of).risks
                flags = flags[flags["unit"] == unit].reset_index(drop=True) if unit is not None else flags
            else:
                obs, specs = _inputs(st, input_file, unit, framework)
                df = assess(obs, specs, as_of=as_of, scheme=scheme, params=params)
                flags = find_risks(df, obs, specs, as_of=as_of, rules=rules)
        except Refusal as exc:  # InputError, ParamError, PeriodError: each says where and why
            reject(exc.lines(st.lang))
        if fmt != Format.table:
            emit(_records(flags, RISK_COLUMNS, fmt), fmt, columns=RISK_COLUMNS)
            return
        sev = {"high": st.t("高", "high"), "medium": st.t("中", "medium"), "low": st.t("低", "low")}
        rows = [{
            st.t("规则", "rule"): r["rule"], st.t("严重程度", "severity"): sev.get(r["severity"], r["severity"]),
            st.t("说明", "explanation"): r["message_zh"] if st.lang == "zh" else r["message_en"],
        } for _, r in flags.iterrows()]
        if not rows:
            typer.echo(st.t("未发现风险", "no risk found"))
            return
        emit(rows, fmt, title=st.t("风险提示", "Risk flags"))


def _name(r: pd.Series) -> str:
    """The indicator, with its series label for a breakdown row (issue 20: several series per indicator)."""
    label = r.get("series")
    return f"{r['indicator']} · {label}" if isinstance(label, str) and label else str(r["indicator"])
