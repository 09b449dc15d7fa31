"""Evaluation and dynamic monitoring of a programme's pilots (试点评价体系、动态监测).

* **Progress**: pilots report values of the programme's evaluation indicators like any unit
  (the observations store, framework id ``pilots:<programme>``, unit = pilot id: revisions and
  audit are the observations' own). :func:`write_progress` checks every row first, all or nothing.
* **Against its own targets**: each pilot × indicator is assessed by the monitoring engine
  (:func:`planmon.monitor.assess`, ``ndrc`` scheme) with the pilot's own baseline and target.
* **Within the programme**: pilots are scored by the index engine (:func:`planmon.index.run_index`)
  on their progress shares toward their own targets (so a small city and a large one are compared
  on how far each has come, not on size), weights from the programme's declaration; rank intervals
  (5th–95th percentile) come from the engine's Monte Carlo uncertainty analysis over weight noise
  and the normalisation method.
* **Exit**: :func:`planmon.pilots.exit.exit_candidates` on the assessments of the last periods.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import select

from planmon.i18n import Message
from planmon.monitor import assess
from planmon.periods import Period, PeriodError
from planmon.pilots.exit import ExitCandidate, exit_candidates
from planmon.pilots.model import Programme
from planmon.pilots.registry import ensure_registry, list_pilots, programmes
from planmon.pilots.tables import pilot_targets, pilots
from planmon.refusal import Refusal
from planmon.store import NewObservation, Store

#: the index spec of a programme's score unless its declaration gives one (``evaluation.spec``)
DEFAULT_SPEC: dict[str, Any] = {
    "impute": {"method": "mean"},
    "normalise": {"method": "minmax", "range": [0, 100]},
    "weights": {"method": "meta"},
    "aggregate": {"method": "arithmetic"},
    "uncertainty": {"weights": {"noise": {1: 0.25}},
                    "normalise": [{"method": "minmax", "range": [0, 100]}, {"method": "rank"}]},
}
PROGRESS_CAP = 1.5  # a pilot far beyond its target does not dominate the score


class ProgressRefused(Refusal):
    code = "pilot_progress_refused"

    def __init__(self, problems: list[Message]) -> None:
        self.messages_zh = [m.zh for m in problems]
        self.messages_en = [m.en for m in problems]
        super().__init__(problems, text="; ".join(self.messages_en))


@dataclass
class Evaluation:
    """A programme's evaluation as of a date: per-indicator assessments, scores with rank intervals,
    exit candidates; ``illustrative`` when any value behind it is generated demonstration data."""

    programme: str
    as_of: str
    assessments: pd.DataFrame
    scores: pd.DataFrame
    candidates: list[ExitCandidate]
    illustrative: bool
    notes: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        cols = ["indicator", "unit", "baseline_period", "baseline", "target_period", "target", "latest_period",
                "latest", "progress_share", "time_share", "status", "status_zh", "status_en"]
        a = self.assessments[[c for c in cols if c in self.assessments.columns]].rename(columns={"unit": "pilot"})
        return {"programme": self.programme, "as_of": self.as_of, "illustrative": self.illustrative,
                "scores": _records(self.scores), "assessments": _records(a),
                "exit_candidates": [c.to_dict() for c in self.candidates], "notes": self.notes}


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): (None if isinstance(v, float) and np.isnan(v) else v) for k, v in r.items()}
            for r in df.to_dict("records")]


def _programme(store: Store, programme: str) -> Programme:
    progs = programmes(store)
    if programme not in progs:
        raise ProgressRefused([Message(f"未登记试点项目“{programme}”（已登记：{'、'.join(progs)}）",
                                       f"programme '{programme}' is not declared (declared: {', '.join(progs)})")])
    return progs[programme]


def write_progress(store: Store, programme: str, rows: list[dict[str, Any]], actor: str, *, reason: str = "",
                   source: str = "") -> dict[str, int]:
    """Check then store reported values (pilot, indicator, period, value): all or nothing."""
    ensure_registry(store)
    prog = _programme(store, programme)
    known = {p["id"] for p in list_pilots(store, programme)}
    inds = {i.id for i in prog.indicators}
    problems: list[Message] = []
    obs: list[NewObservation] = []
    for n, r in enumerate(rows, start=1):
        where = f"第 {n} 行", f"row {n}"
        pid, ind = str(r.get("pilot") or r.get("pilot_id") or "").strip(), str(r.get("indicator") or "").strip()
        if pid not in known:
            problems.append(Message(f"{where[0]}：试点“{pid}”不属于“{prog.name_zh}”", f"{where[1]}: pilot '{pid}' is not in '{prog.name_en}'"))
        if ind not in inds:
            problems.append(Message(f"{where[0]}：指标“{ind}”不在该项目的评价指标中", f"{where[1]}: indicator '{ind}' is not one of the programme's"))
        try:
            per = str(Period.parse(str(r.get("period") or "").strip()))
        except PeriodError:
            problems.append(Message(f"{where[0]}：期别“{r.get('period')}”无法识别", f"{where[1]}: period '{r.get('period')}' not understood"))
            per = ""
        try:
            val = float(r.get("value"))  # type: ignore[arg-type]
            if val != val:
                raise ValueError
        except (TypeError, ValueError):
            problems.append(Message(f"{where[0]}：数值“{r.get('value')}”不是数字", f"{where[1]}: value '{r.get('value')}' is not a number"))
            val = float("nan")
        if per and val == val and pid in known and ind in inds:
            obs.append(NewObservation(ind, pid, per, val, source=str(r.get("source") or source),
                                      note=str(r.get("note") or "")))
    if problems:
        raise ProgressRefused(problems)
    res = store.write_observations(obs, actor, framework_id=prog.framework_id(), reason=reason,
                                   audit_action="pilot.progress")
    return {"added": res.added, "revised": res.revised, "unchanged": res.unchanged}


def target_specs(store: Store, prog: Programme) -> pd.DataFrame:
    """The monitoring engine's indicator table: one row per pilot × indicator with its own target."""
    with store.engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(
            select(pilot_targets).join(pilots, pilots.c.id == pilot_targets.c.pilot_id)
            .where(pilots.c.programme_id == prog.id)).mappings()]
    ind = {i.id: i for i in prog.indicators}
    recs = [{"indicator": r["indicator_id"], "unit": r["pilot_id"], "direction": ind[r["indicator_id"]].direction,
             "baseline_period": r["baseline_period"], "baseline": np.nan if r["baseline"] is None else r["baseline"],
             "target_period": r["target_period"], "target": r["target"], "name_zh": ind[r["indicator_id"]].name_zh,
             "name_en": ind[r["indicator_id"]].name_en} for r in rows if r["indicator_id"] in ind]
    return pd.DataFrame(recs, columns=["indicator", "unit", "direction", "baseline_period", "baseline",
                                       "target_period", "target", "name_zh", "name_en"])


def assess_pilots(store: Store, prog: Programme, as_of: str | None = None) -> pd.DataFrame:
    specs = target_specs(store, prog)
    obs = store.current_observations(prog.framework_id())
    if specs.empty or obs.empty:
        return pd.DataFrame(columns=["indicator", "unit", "status", "progress_share", "time_share"])
    obs = obs[obs["unit"].isin(set(specs["unit"]))]
    return assess(obs, specs, as_of=as_of, scheme="ndrc")


def score_pilots(prog: Programme, assessed: pd.DataFrame, n: int = 200, seed: int = 17) -> pd.DataFrame:
    """Scores (0–100) within the programme, ranks and 5–95 % rank intervals (index engine)."""
    from planmon.index import run_index

    cols = ["pilot", "score", "rank", "rank_q05", "rank_q95", "rank_median"]
    if assessed.empty:
        return pd.DataFrame(columns=cols)
    a = assessed.assign(p=np.clip(assessed["progress_share"].to_numpy(dtype=float), 0.0, PROGRESS_CAP))
    wide = a.pivot_table(index="unit", columns="indicator", values="p", aggfunc="last")
    inds = [i for i in prog.indicators if i.id in wide.columns and wide[i.id].notna().any()]
    wide = wide[wide[[i.id for i in inds]].notna().any(axis=1)] if inds else wide.iloc[0:0]
    if len(wide) < 2 or not inds:
        return pd.DataFrame(columns=cols)
    idata = pd.DataFrame({"uCode": wide.index.astype(str), **{i.id: wide[i.id].to_numpy() for i in inds}})
    meta = pd.DataFrame([{"Level": 1, "iCode": i.id, "iName": i.name_zh, "Direction": 1, "Weight": i.weight,
                          "Parent": "SCORE", "Type": "Indicator"} for i in inds]
                        + [{"Level": 2, "iCode": "SCORE", "iName": "试点评价得分", "Direction": 1, "Weight": 1.0,
                            "Parent": None, "Type": "Aggregate"}])
    spec = (prog.raw.get("evaluation") or {}).get("spec") or DEFAULT_SPEC
    run = run_index(idata, meta, spec)
    out = pd.DataFrame({"pilot": run.scores["uCode"].astype(str), "score": run.scores["SCORE"].to_numpy(dtype=float),
                        "rank": run.ranks["SCORE"].to_numpy(dtype=float)})
    ua = run.uncertainty(n, seed=seed)
    out = out.merge(ua[["uCode", "q05", "q95", "median"]].rename(
        columns={"uCode": "pilot", "q05": "rank_q05", "q95": "rank_q95", "median": "rank_median"}), on="pilot")
    return out.sort_values(["rank", "pilot"]).reset_index(drop=True)[cols]


def _last_periods(assessed_at: dict[str, pd.DataFrame]) -> pd.DataFrame:
    frames = [df.assign(period=p) for p, df in assessed_at.items() if len(df)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["unit", "indicator", "period", "status", "progress_share", "time_share"])


def evaluate_programme(store: Store, programme: str, as_of: date | None = None, n: int = 200,
                       seed: int = 17) -> Evaluation:
    """The programme's evaluation as of a date (default today): see the module docstring."""
    ensure_registry(store)
    prog = _programme(store, programme)
    day = as_of or date.today()
    year = day.year - 1 if (day.month, day.day) < (12, 31) else day.year  # the last ended annual period
    plist = list_pilots(store, programme)
    rule = prog.exit_rule
    periods = [str(y) for y in range(year - int(rule.get("behind_periods", 2)) + 1, year + 1)]
    assessed_at = {p: assess_pilots(store, prog, p) for p in periods}
    latest = assessed_at[periods[-1]]
    obs = store.current_observations(prog.framework_id())
    reported: dict[str, set[str]] = {}
    for u, per in zip(obs.get("unit", []), obs.get("period", []), strict=True):
        reported.setdefault(str(u), set()).add(str(per)[:4])
    cands = exit_candidates(plist, _last_periods(assessed_at), reported, day, rule)
    scores = score_pilots(prog, latest, n, seed)
    illustrative = any(p["illustrative"] for p in plist if p["id"] in set(latest.get("unit", [])))
    notes = []
    if illustrative:
        notes.append({"zh": "示意数据：本评价使用 planmon 生成的示意试点数据，不是真实报送数据",
                      "en": "illustrative: this evaluation uses demonstration data generated by planmon, not reported data"})
    if prog.illustrative_evaluation:
        notes.append({"zh": "评价指标与权重为示意声明，未见该项目公布的绩效评价办法原文",
                      "en": "the evaluation indicators and weights are an illustrative declaration: the programme's "
                            "published performance-evaluation method was not found"})
    return Evaluation(programme, periods[-1], latest, scores, cands, illustrative, notes)


def progress_template(store: Store, programme: str, period: str, path: Any, lang: str = "zh") -> int:
    """The workbook a programme's pilots fill for one period: a row per pilot × indicator, value empty."""
    from openpyxl import Workbook

    from planmon.spreadsheet import neutralise

    prog = _programme(store, programme)
    per = str(Period.parse(period))
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "进展" if lang != "en" else "progress"
    ws.append(["试点编号", "试点", "指标", "指标名称", "计量单位", "期别", "数值", "来源", "备注"] if lang != "en" else
              ["pilot", "pilot_name", "indicator", "indicator_name", "measure", "period", "value", "source", "note"])
    n = 0
    for p in list_pilots(store, programme):
        if p["state"] not in ("active", "evaluated"):
            continue
        for i in prog.indicators:
            ws.append([p["id"], neutralise(p["unit_name"]), i.id, i.name_en if lang == "en" else i.name_zh, i.unit,
                       per, None, None, None])
            n += 1
    ws.freeze_panes = "A2"
    wb.save(path)
    return n


def read_progress(path: Any) -> list[dict[str, Any]]:
    """Rows of a filled progress workbook or CSV (Chinese or English headers)."""
    from pathlib import Path

    from planmon.pilots.sheets import _norm, read_workbook

    aliases = {_norm(k): v for k, v in {"试点编号": "pilot", "pilot": "pilot", "pilot_id": "pilot", "指标": "indicator",
                                        "indicator": "indicator", "期别": "period", "period": "period", "数值": "value",
                                        "value": "value", "来源": "source", "source": "source", "备注": "note",
                                        "note": "note"}.items()}
    cells, _ = read_workbook(Path(path), aliases)
    return [r for r in cells.rows if r.get("value") not in (None, "")]
