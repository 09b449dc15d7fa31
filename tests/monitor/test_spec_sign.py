"""A "decrease" indicator keeps its direction through spec tables (the store, report and web path).

``unit_specs`` hands the engine a table with a ``sign`` column and no ``direction``; it was read back with the
default direction "increase", so 单位GDP能源消耗降低 or a falling unemployment rate was assessed upside down.
"""

from __future__ import annotations

import pandas as pd

from planmon.framework.model import Indicator
from planmon.monitor.assess import assess
from planmon.monitor.panel import indicator_specs


def test_a_decrease_indicator_keeps_its_sign_in_a_spec_table() -> None:
    x = Indicator.model_validate({"id": "D", "name_zh": "单位能耗", "unit": "吨/万元", "direction": "decrease",
                                  "baseline": {"period": "2020", "value": 100}, "target": {"period": "2025", "value": 90}})
    table = indicator_specs([x])
    assert "direction" not in table.columns and int(table["sign"].iloc[0]) == -1
    assert int(indicator_specs(table)["sign"].iloc[0]) == -1
    obs = pd.DataFrame([{"indicator": "D", "unit": "CN", "period": "2022", "value": 96.0}])
    # fall of 4 of the 10 required by 2022: p = (96 − 100)/(90 − 100) = 0.4 = τ → 基本符合预期, the same both ways
    for specs in ([x], table.assign(unit="CN")):
        r = assess(obs, specs, scheme="ndrc").iloc[0]
        assert r["progress_share"] == 0.4 and r["status"] == "as_expected"
