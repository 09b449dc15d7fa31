"""Illustrative targets per province (示意), so that every target basis appears in the demo.

Real provinces publish their own 14th-FYP digital-economy plans with their own targets, and some national
targets are decomposed to provinces. The demo does not ship real provincial plan figures: its targets are
made from the demo's own 2020 values, clearly marked illustrative, and cover every basis:

- own plan (本级规划目标): 浙江 I09 (+4 points), 江苏 I08 (×1.8), 四川 I03 (×10), 黑龙江 I12 (×1.6: the lagging
  province misses its own plan — a high risk an official would accept);
- decomposed (上级分解目标): 河南 I01 (×1.2);
- basis ``none`` declared: 西藏 I08 (a base of a few hundred firms: a pace-derived target says nothing);
- everything else: the indicator's declared basis (national pace for counts, national target for rates).
"""

from __future__ import annotations

from typing import Final

import pandas as pd

#: (unit, indicator, kind, how: ("add", points) | ("times", factor) | None)
DEMO_TARGETS: Final[tuple[tuple[str, str, str, tuple[str, float] | None], ...]] = (
    ("330000", "I09", "own_plan", ("add", 4.0)),
    ("320000", "I08", "own_plan", ("times", 1.8)),
    ("510000", "I03", "own_plan", ("times", 10.0)),
    ("230000", "I12", "own_plan", ("times", 1.6)),
    ("410000", "I01", "decomposed", ("times", 1.2)),
    ("540000", "I08", "none", None),
)
SOURCE_ZH: Final = "示意数据：虚构的省级“十四五”规划目标"
SOURCE_EN: Final = "illustrative: a fictitious provincial 14th-FYP target"


def demo_targets(data: pd.DataFrame, target_period: str = "2025", base_period: str = "2020") -> pd.DataFrame:
    """The illustrative target rows (import format) computed from the demo data set ``data``."""
    base = data[data["period"] == base_period].set_index(["unit", "indicator"])["value"]
    rows = []
    for unit, ind, kind, how in DEMO_TARGETS:
        value = None
        if how is not None:
            v = float(base[(unit, ind)])
            value = round(v + how[1] if how[0] == "add" else v * how[1], 4)
        rows.append({"indicator": ind, "unit": unit, "period": target_period, "kind": kind, "value": value,
                     "baseline_period": None, "baseline_value": None, "source": f"{SOURCE_ZH} / {SOURCE_EN}",
                     "note": "示意 / illustrative", "illustrative": "true"})
    return pd.DataFrame(rows)
