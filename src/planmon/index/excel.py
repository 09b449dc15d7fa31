"""The whole build of an index run in one workbook (COINr's ``export_to_excel``).

Why: an analyst hands the build to a colleague who opens it in Excel, or re-reads one stage with
pandas. Every sheet goes through the one sheet writer of the report's workbook
(:func:`planmon.spreadsheet.write_sheet`): headers in row 1, full-precision numbers, empty cells
for missing values, text that no spreadsheet will run as a formula. ``pandas.read_excel(path,
sheet_name="Normalised")`` gives back ``run.stages["Normalised"]``.

Sheets: ``About`` (what each sheet holds), every stage by its name (``Raw``, ``Denominated``,
``Imputed``, ``Screened``, ``Treated``, ``Normalised``, ``Aggregated``: those the spec ran),
``Scores`` and ``Ranks`` (the reported period), ``Weights`` (weight and effective weight of every
node), the statistics (``Stats`` per indicator, ``Correlations``, ``CorrelationFlags``,
``Cronbach``, ``PCA``, ``ChildParentCorr``, ``DenominatorCorr``), ``Log`` (each step's parameters,
resolved parameters and info, as JSON) and ``Spec`` (the spec, key by key).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from planmon.spreadsheet import write_sheet

if TYPE_CHECKING:
    from planmon.index.run import IndexRun

#: Excel's limit of characters in a cell; a longer JSON text is cut and says so
CELL_LIMIT = 32767


def _cell(v: Any) -> Any:
    """A value openpyxl writes as itself: numpy scalars as Python numbers, NA as empty."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and v != v:
        return None
    if isinstance(v, bool | int | float | str):
        return v
    return str(v)


def frame_rows(df: pd.DataFrame) -> list[list[Any]]:
    """The rows of a DataFrame as lists of plain cells (vectorised per column, not per cell)."""
    cols = [[_cell(v) for v in df[c].to_numpy(dtype=object)] for c in df.columns]
    return [list(r) for r in zip(*cols, strict=True)] if cols else []


def _json(v: Any) -> str:
    text = json.dumps(v, ensure_ascii=False, default=lambda o: o.tolist() if hasattr(o, "tolist") else str(o))
    if len(text) > CELL_LIMIT:
        cut = " … [cut: longer than an Excel cell]"
        text = text[: CELL_LIMIT - len(cut)] + cut
    return text


def _flat(v: Any, prefix: str = "") -> list[list[Any]]:
    if isinstance(v, dict):
        out: list[list[Any]] = []
        for k, x in v.items():
            out += _flat(x, f"{prefix}.{k}" if prefix else str(k))
        return out
    return [[prefix, v if isinstance(v, str | int | float | bool) or v is None else _json(v)]]


def _weights(run: IndexRun) -> pd.DataFrame:
    tree = run.tree
    eff = run.effective_weights()
    codes = [c for lev in sorted(tree.levels) for c in tree.levels[lev]]
    return pd.DataFrame({"code": codes, "level": [tree.level_of(c) for c in codes],
                         "parent": [tree.parent.get(c) for c in codes],
                         "weight": [float(run.weights.get(c, np.nan)) for c in codes],
                         "effective_weight": [float(eff.get(c, np.nan)) for c in codes]})


def _stats_sheets(run: IndexRun) -> list[tuple[str, pd.DataFrame]]:
    s = run.stats()
    corr = s["correlations"]
    pca = [(node, k, v) for node, d in s["pca"].items() for k, v in d["loadings"].items()]
    within = [(p, k, v) for p, d in s["child_parent_correlations"].items() for k, v in d.items()]
    return [
        ("Stats", s["indicators"]),
        ("Correlations", corr.reset_index(names="code")),
        ("CorrelationFlags", s["correlation_flags"]),
        ("Cronbach", pd.DataFrame(list(s["cronbach"].items()), columns=["code", "alpha"])),
        ("PCA", pd.DataFrame(pca, columns=["aggregate", "child", "pc1_loading"])),
        ("ChildParentCorr", pd.DataFrame(within, columns=["parent", "child", "corr"])),
        ("DenominatorCorr", s["denominator_correlations"]),
    ]


ABOUT = {
    "Raw": "the input data (iData indicator columns)", "Denominated": "after denominating",
    "Imputed": "after imputation", "Screened": "after screening units", "Treated": "after outlier treatment",
    "Transformed": "after transformation", "Normalised": "after normalisation",
    "Aggregated": "indicators and every aggregate, all periods", "Scores": "the scores of the reported period",
    "Ranks": "the ranks of the reported period", "Weights": "the weight and the effective weight of every node",
    "Stats": "statistics per indicator", "Correlations": "correlations of indicators and aggregates",
    "CorrelationFlags": "collinear pairs within a parent", "Cronbach": "Cronbach's alpha per aggregate",
    "PCA": "first-component loadings per aggregate", "ChildParentCorr": "correlation of each child with its parent",
    "DenominatorCorr": "indicators correlated with a denominator", "Log": "each step: parameters, resolved, info",
    "Spec": "the spec, key by key",
}


def sheets(run: IndexRun) -> list[tuple[str, pd.DataFrame]]:
    """(sheet name, table) of everything :func:`to_excel` writes, in order (without ``About``)."""
    out: list[tuple[str, pd.DataFrame]] = [(name, run.stages[name]) for name in run.stages]
    out += [("Scores", run.scores), ("Ranks", run.ranks), ("Weights", _weights(run))]
    out += _stats_sheets(run)
    out.append(("Log", pd.DataFrame([{"step": e["step"], "params": _json(e.get("params")),
                                      "resolved": _json(e.get("resolved")), "info": _json(e.get("info"))}
                                     for e in run.log], columns=["step", "params", "resolved", "info"])))
    out.append(("Spec", pd.DataFrame(_flat(run.spec), columns=["key", "value"])))
    return out


def to_excel(run: IndexRun, path: str | Path) -> Path:
    """Write the run's workbook to ``path`` (``.xlsx``); returns the path."""
    from openpyxl import Workbook

    p = Path(path)
    if p.suffix.lower() != ".xlsx":
        from planmon.index.errors import fail

        raise fail(f"{p.name}：工作簿须为 .xlsx 文件", f"{p.name}: the workbook must be an .xlsx file")
    p.parent.mkdir(parents=True, exist_ok=True)
    tabs = sheets(run)
    wb = Workbook()
    about = wb.active
    assert about is not None
    about.title = "About"
    rows: list[Sequence[Any]] = [["data hash", run.data_hash], ["period", run.period], ["top", run.top]]
    rows += [[name, ABOUT.get(name, "")] for name, _ in tabs]
    write_sheet(about, ["key", "value"], rows)
    for name, df in tabs:
        write_sheet(wb.create_sheet(name), [str(c) for c in df.columns], frame_rows(df))
    wb.properties.creator = "planmon"
    wb.save(p)
    return p


__all__ = ["sheets", "to_excel"]
