"""The demo report after issue 12: high risks explained by basis, a provincial composite on intensive forms."""

from __future__ import annotations

import ast

import numpy as np
import pandas as pd

from planmon.denominators import lookup
from planmon.report import ReportModel
from planmon.report.text import summary
from planmon.store import Store


def test_high_risks_are_a_handful_explained_by_basis(model: ReportModel) -> None:
    assert model.risks is not None
    high = model.risks[model.risks["severity"] == "high"]
    assert 0 < len(high) <= 10  # was 188 flags of which 155 compared provinces with national totals
    text = summary(model)
    line = next(s for s in text if s.startswith("高风险中"))
    own = int(((high["target_basis"] == "own_plan") & (high["rule"] != "moving_away")).sum())
    regress = int((high["rule"] == "moving_away").sum())
    assert own >= 1 and f"对照本级规划目标（含全国规划目标）{own}项" in line
    assert f"指标倒退、偏离目标方向{regress}项" in line
    bench = int(((model.risks["severity"] != "high")
                 & model.risks["target_basis"].isin(["national_target", "national_pace"])).sum())
    assert f"此类提示{bench}项" in line and bench > 100
    # no high flag compares a province with a target it never adopted
    assert not (high["rule"].isin(["projected_shortfall", "lagging_time"])
                & high["target_basis"].isin(["national_target", "national_pace"])).any()


def test_provincial_composite_is_built_on_intensive_forms(model: ReportModel, store: Store) -> None:
    idx = model.regional.index
    assert idx is not None
    # the run's log: the first step divides every count by the population
    first = ast.literal_eval(idx.log[0])
    assert first["step"] == "denominate"
    assert first["info"]["denominators"] == {i: "population" for i in ("I01", "I03", "I04", "I08", "I12")}
    assert first["params"]["scale"]["I01"] == 1e6  # 亿人 ÷ 万人 × 1e6 = %
    # the size effect is gone: the composite's rank correlation with population is far below 0.9
    pop = lookup(store.denominators("population"), "population", idx.table["code"].to_numpy(),
                 np.full(len(idx.table), float(model.regional.period)))["value"].to_numpy()
    rho = pd.Series(idx.table["score"].to_numpy()).corr(pd.Series(pop), method="spearman")
    assert rho < 0.9
    assert abs(rho) < 0.5  # (0.11 on the demo: development, not size)
    # the maps of counts show intensive values: internet penetration in %, Beijing near 100 %
    layer = next(la for la in model.regional.layers if la.key == "I01")
    assert layer.title == "互联网普及率" and layer.unit == "%"
    bj = model.regional.matrix.loc["110000", "I01"] / 2184.0 * 1e6  # demo 2024 value ÷ 2022 population (lag 2)
    assert layer.values["110000"] == bj
    assert model.regional.matrix.loc["110000", "I01"] < 1  # the absolute value (亿人) is kept in the matrix
