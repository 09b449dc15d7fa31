"""A test framework: the built-in plan plus the 22 provincial indicators of ../shared/data/provinces
(ids X1…X22, from digital_panel_indicators.csv) and one quarterly indicator, so real provincial
series can be imported."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from planmon.framework import Framework, Indicator, load_framework
from planmon.framework.loader import framework_hash
from planmon.framework.model import PlausibleRange

PANEL_ID = "test-panel"


def panel_framework(shared: Path) -> Framework:
    fw = load_framework().model_copy(deep=True)
    fw.plan.id = PANEL_ID
    fw.observations = []
    dic = pd.read_csv(shared / "data/provinces/digital_panel_indicators.csv")
    for r in dic.itertuples(index=False):
        unit = str(r.unit) if isinstance(r.unit, str) else "units"
        pct = unit == "%"
        fw.indicators.append(Indicator(
            id=str(r.code).upper(), name_zh=str(r.name_zh), name_en=str(r.name_en), unit=unit,
            kind="rate" if pct or unit == "index" else "stock",
            plausible=PlausibleRange(min=0, max=100 if pct else None),
        ))
    fw.indicators.append(Indicator(id="Q1", name_zh="季度测试指标", name_en="quarterly test indicator", unit="件",
                                   frequency="quarterly", plausible=PlausibleRange(min=0)))
    fw.content_hash = framework_hash(fw)
    return fw


def panel(shared: Path) -> pd.DataFrame:
    return pd.read_csv(shared / "data/provinces/digital_panel_2013_2022.csv", dtype={"province_code": str})
