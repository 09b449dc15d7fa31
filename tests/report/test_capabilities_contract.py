"""The sections that appear when monitoring, evaluation and supervision land, driven through their declared APIs.

Those modules are built on other branches; here small stand-ins with exactly the
declared signatures and columns (issue 7's brief) are put in ``sys.modules`` for the
duration of one test, so that the report's own code for these sections runs and is
checked now. With the real modules merged, the other tests in this folder exercise them.
"""

from __future__ import annotations

import types
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pandas as pd
import pytest

from planmon.report import build_model, write_report
from planmon.report.html import render_html
from planmon.report.text import summary
from planmon.store import Store

LABELS = {"ndrc": {"achieved": ("提前实现", "achieved"), "faster": ("快于预期", "faster than expected"),
                   "as_expected": ("符合预期", "as expected"), "lagging": ("滞后", "lagging")}}


def _monitor() -> types.ModuleType:
    mod = types.ModuleType("planmon.monitor")

    def assess_store(store: Store, framework_id: str, *, as_of: Any = None, scheme: str = "ndrc",
                     unit: Any = None) -> pd.DataFrame:
        codes = ["achieved", "faster", "as_expected", "lagging"]
        rows = [{"indicator": f"I{i:02d}", "unit": "CN", "status": codes[i % 4], "scheme": scheme}
                for i in range(1, 13)]  # I01..I12 assessed, I00 and I13 not
        return pd.DataFrame(rows)

    def risks_store(store: Store, framework_id: str, *, as_of: Any = None) -> pd.DataFrame:
        return pd.DataFrame([
            {"rule": "lagging_trend", "severity": "high", "indicator": "I10", "unit": "230000",
             "message_zh": "黑龙江关键业务环节数字化企业比例增长停滞", "message_en": "Heilongjiang stalls", "evidence": ""},
            {"rule": "series_break", "severity": "medium", "indicator": "I12", "unit": "510000",
             "message_zh": "=四川网上零售额2022年出现断点", "message_en": "Sichuan break", "evidence": ""},
        ])

    mod.assess_store = assess_store  # type: ignore[attr-defined]
    mod.risks_store = risks_store  # type: ignore[attr-defined]
    mod.STATUS_LABELS = LABELS  # type: ignore[attr-defined]
    return mod


class _Run:
    def __init__(self, idata: pd.DataFrame, spec: Any) -> None:
        means = idata.set_index("uCode").mean(axis=1)
        self.scores = pd.DataFrame({"uCode": means.index, "Index": means.to_numpy()})
        self.ranks = self.scores.assign(Index=self.scores["Index"].rank(ascending=False))
        self.spec = spec
        self.data_hash = "x"
        self.log = ["normalise: minmax", "aggregate: arithmetic mean"]

    def strengths_weaknesses(self, n: int = 3) -> pd.DataFrame:
        return pd.DataFrame({"uCode": ["110000"], "strengths": ["I09, I05"], "weaknesses": ["I13"]})

    def uncertainty(self, n: int, seed: int) -> pd.DataFrame:
        r = self.ranks
        return pd.DataFrame({"uCode": r["uCode"], "nominal": r["Index"], "median": r["Index"],
                             "q05": (r["Index"] - 2).clip(lower=1), "q95": r["Index"] + 2})


def _index() -> types.ModuleType:
    mod = types.ModuleType("planmon.index")

    def from_store(store: Store, framework_id: str, period: Any = None, units: str = "provinces") -> tuple[Any, Any]:
        obs = store.current_observations(framework_id)
        at = obs[(obs["period"] == period) & (obs["unit"] != "CN")]
        idata = at.pivot(index="unit", columns="indicator", values="value").rank(pct=True).reset_index()
        idata = idata.rename(columns={"unit": "uCode"})
        imeta = pd.DataFrame({"iCode": ["Index"], "Level": [2]})
        return idata, imeta

    mod.from_store = from_store  # type: ignore[attr-defined]
    mod.run_index = lambda idata, imeta, spec: _Run(idata, spec)  # type: ignore[attr-defined]
    mod.default_spec = lambda imeta: {"normalise": {"method": "minmax"}, "aggregate": {"method": "mean"}}  # type: ignore[attr-defined]
    return mod


def _supervise() -> types.ModuleType:
    mod = types.ModuleType("planmon.supervise")

    def supervision_list(store: Store, as_of: date, framework_id: str) -> pd.DataFrame:
        assert isinstance(as_of, date)
        return pd.DataFrame([{"kind": "milestone", "item": "A1", "item_title_zh": "全民数字素养与技能提升行动",
                              "item_title_en": "Digital literacy", "unit": "CAC", "unit_name_zh": "中央网信办",
                              "owed_zh": "2023年阶段目标", "owed_en": "2023 milestone", "since": "2023-12-31",
                              "days_overdue": 366, "suggested_zh": "督促报送", "suggested_en": "chase",
                              "severity": "high"}])

    mod.supervision_list = supervision_list  # type: ignore[attr-defined]
    mod.scorecard = lambda store, as_of, unit=None: pd.DataFrame()  # type: ignore[attr-defined]
    return mod


@pytest.fixture
def with_capabilities(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setitem(__import__("sys").modules, "planmon.monitor", _monitor())
    monkeypatch.setitem(__import__("sys").modules, "planmon.index", _index())
    monkeypatch.setitem(__import__("sys").modules, "planmon.supervise", _supervise())
    yield


def test_every_section_appears_when_its_capability_lands(with_capabilities: None, store: Store, tmp_path: Path) -> None:
    m = build_model(store, as_of="2024", uncertainty_n=50)
    assert m.missing == []
    # I01..I12 cycle through the four codes: 3 each; I00 and I13 are not assessed
    assert m.status_counts == {"achieved": 3, "faster": 3, "as_expected": 3, "lagging": 3}
    assert summary(m)[0] == "截至2024年，14项主要指标中，3项提前实现、3项快于预期、3项符合预期、3项滞后、2项暂无法评估。"
    assert summary(m)[1] == "识别风险2项，其中高风险1项。"
    assert summary(m)[2] == "督办清单共1项，其中逾期1项。"
    idx = m.regional.index
    assert idx is not None and len(idx.table) == 31 and idx.table["rank"].iloc[0] == 1
    assert m.regional.default_layer is not None and m.regional.default_layer.key == "index"
    assert (idx.table["rank_q05"] <= idx.table["rank"]).all() and (idx.table["rank"] <= idx.table["rank_q95"]).all()
    # the spec actually used, in words (issue 14: the key-by-key spec is in the workbook)
    assert any("最小-最大法" in r[1] for note in m.methodology for r in note.rows)
    html = render_html(m)
    for text in ("综合指数排名", "排名区间", "督办清单", "风险提示", "黑龙江关键业务环节数字化企业比例增长停滞", "提前实现"):
        assert text in html, text
    write_report(m, tmp_path, ["docx", "xlsx"])
    doc = docx.Document(str(tmp_path / "report.docx"))
    captions = [p.text for p in doc.paragraphs]
    assert "综合指数排名" in captions and "督办清单" in captions and "风险提示" in captions
    wb = openpyxl.load_workbook(tmp_path / "report.xlsx")
    assert {"状态统计", "风险提示", "综合指数排名", "督办清单", "优势与短板", "评估设定"} <= set(wb.sheetnames)
    # a risk message starting with '=' is text in the workbook, never a formula
    cell = next(c for row in wb["风险提示"].iter_rows() for c in row if isinstance(c.value, str) and "断点" in c.value)
    assert cell.value.startswith("'=") and cell.data_type == "s"
