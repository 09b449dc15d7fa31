"""Rich display of an index run and of a comparison: key figures present, HTML escaped, zh and en."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from planmon.display import set_lang
from planmon.index import IndexRun, compare, run_index
from tests.index.conftest import ASEM_SPEC, DOCS


class _Text(HTMLParser):
    """The text of an HTML fragment and its tags (a check that the fragment parses as markup we wrote)."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed(html: str) -> tuple[str, set[str]]:
    p = _Text()
    p.feed(html)
    return " ".join(p.text), set(p.tags)


@pytest.fixture(scope="module")
def run(asem: tuple[pd.DataFrame, pd.DataFrame]) -> IndexRun:
    return run_index(*asem, ASEM_SPEC)


@pytest.fixture(autouse=True)
def _session_lang(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANMON_LANG", "zh")  # restored after the test, whatever set_lang did within it


def test_index_run_card_in_chinese(run: IndexRun) -> None:
    text, tags = parsed(run._repr_html_())
    assert tags <= {"div", "table", "tr", "th", "td", "caption"}
    # COINr's published ASEM results: CHE first with 68.38 (see test_asem.py)
    assert "综合指数 · Index" in text and "51 × 49" in text and "CHE" in text and "68.38" in text
    assert "排名靠前" in text and "排名靠后" in text and "缺失值插补" in text and "算术平均" in text
    bottom = run.ranks.sort_values("Index")["uCode"].iloc[-1]
    assert bottom in text  # the last-ranked unit is shown in the bottom table
    assert "impute" not in text and "Top" not in text  # no code or English on the Chinese card
    line = repr(run)
    assert "\n" not in line and len(line) < 300 and "51 × 49" in line and line.startswith("<综合指数")


def test_index_run_card_in_english(run: IndexRun) -> None:
    set_lang("en")
    text, _ = parsed(run._repr_html_())
    assert "Composite index · Index" in text and "Top" in text and "Bottom" in text and "arithmetic mean" in text
    assert "综合" not in text and "68.38" in text
    assert repr(run).startswith("<Composite index")


def test_names_are_escaped(asem: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    idata, imeta = asem
    hostile = idata.copy()
    hostile.loc[hostile["uCode"] == "CHE", "uCode"] = "<script>alert(1)</script>"
    html = run_index(hostile, imeta, ASEM_SPEC)._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    _, tags = parsed(html)
    assert "script" not in tags


def test_comparison_card(asem: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    geo = run_index(*asem, DOCS / "asem_geometric.yaml")
    arith = run_index(*asem, {**geo.spec, "aggregate": {"method": "arithmetic"}})
    c = compare(arith, geo)
    moved = int((c.units["rank_shift"] != 0).sum())
    largest = int(c.units["rank_shift"].abs().max())
    text, _ = parsed(c._repr_html_())
    assert "两种设定的比较" in text and "51" in text and f"排名变化的单位 {moved}" in re.sub(r"\s+", " ", text)
    assert str(largest) in text and "汇总" in text and "arithmetic → geometric" in text
    first = c.moved.iloc[0]
    assert str(first["uCode"]) in text and f"{int(first['rank_shift']):+d}" in text
    set_lang("en")
    text, _ = parsed(c._repr_html_())
    assert "Comparison of two specs" in text and "Steps that differ" in text and "aggregate" in text
    assert repr(c).startswith("<Comparison of two specs") and "\n" not in repr(c)


def test_cards_name_provinces_and_the_latest_data(tmp_path: Path) -> None:
    """Seen in the example notebook: a card of a provincial run names the provinces (北京, not 110000), a comparison
    of two named runs heads its rank columns with their names, and a snapshot on the latest data says so in Chinese."""
    from planmon.demo import load_demo
    from planmon.index import from_store
    from planmon.snapshot import Snapshot
    from planmon.store import Store

    set_lang("zh")
    store = Store.open(f"sqlite:///{tmp_path}/demo.db")
    store.init()
    load_demo(store)
    idata, imeta = from_store(store, period="2024")
    a = run_index(idata, imeta)
    b = run_index(idata, imeta, {"aggregate": {"method": "geometric"}})
    text, _ = parsed(a._repr_html_())
    assert "北京" in text and not re.search(r"\b\d{6}\b", text)
    text, _ = parsed(compare(a, b, names=("算术平均", "几何平均"))._repr_html_())
    assert "算术平均 排名" in text and "几何平均 排名" in text and "A 排名" not in text
    assert not re.search(r"\b\d{6}\b", text)  # the units that moved most, by name, not by GB/T 2260 code
    text, _ = parsed(Snapshot(store)._repr_html_())
    assert "最新数据" in text and "latest" not in text
    store.engine.dispose()
