"""Rich display of the framework, an assessment table, a snapshot and rank intervals (issue #18):
the key figures are on the card, everything is escaped, and the card speaks zh (default) or en."""

from __future__ import annotations

from html.parser import HTMLParser

import pandas as pd
import pytest

import planmon
from planmon.demo import load_demo
from planmon.display import Card, fmt, set_lang
from planmon.frames import AssessmentTable, RankIntervals
from planmon.monitor import assess_store
from planmon.snapshot import Snapshot
from planmon.store import Store


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def text_of(html: str) -> str:
    p = _Text()
    p.feed(html)
    return " ".join(p.text)


@pytest.fixture(autouse=True)
def _session_lang(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANMON_LANG", "zh")  # restored after each test, whatever set_lang did


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('db') / 'planmon.db'}")
    store.init()
    load_demo(store)
    return store


def test_framework_card() -> None:
    fw = planmon.load_framework("cn-informatization-14fyp")
    text = text_of(fw._repr_html_())
    # the built-in plan: 14 main indicators, 10 tasks, 17 key projects, 10 priority actions, 31 provinces
    assert "“十四五”国家信息化规划" in text and "2021–2025" in text and "主要指标 14" in text
    assert "重大任务 10" in text and "重点工程 17" in text and "优先行动 10" in text and "省级单位 31" in text
    assert fw.content_hash[:12] in text
    line = repr(fw)
    assert line.startswith("<规划框架") and "\n" not in line and len(line) < 200
    set_lang("en")
    text = text_of(fw._repr_html_())
    assert "14th Five-Year National Informatization Plan" in text and "Main indicators 14" in text
    assert "key project 17" in text and "规划" not in text


def test_assessment_table_is_a_dataframe_with_a_card(demo: Store) -> None:
    a = assess_store(demo, as_of="2024")
    assert isinstance(a, AssessmentTable) and isinstance(a, pd.DataFrame)
    assert type(a.head()) is pd.DataFrame and type(a.set_index("indicator")) is pd.DataFrame  # plain afterwards
    html = a._repr_html_()
    counts = a["status"].value_counts()
    text = " ".join(text_of(html).split())
    assert f"行数 {len(a)}" in text and f"指标 {a['indicator'].nunique()}" in text
    assert "滞后" in text and str(int(counts["lagging"])) in text and "国家发展改革委评估口径" in text
    assert html.index("planmon-card") < html.index('class="dataframe"')  # the usual table follows the card
    set_lang("en")
    text = text_of(a.card().html())
    assert "Count by status" in text and "lagging" in text and "滞后" not in text


def test_snapshot_card(demo: Store) -> None:
    snap = Snapshot(demo, as_of="2024")
    text = text_of(snap._repr_html_())
    assert "截至" in text and "2024-12-31" in text and snap.content_hash[:12] in text
    lagging = int((snap.assessments["status"] == "lagging").sum())
    assert f"{lagging}" in text and "滞后" in text
    assert repr(snap).startswith("<监测快照") and "\n" not in repr(snap)


def test_rank_intervals_card() -> None:
    ri = RankIntervals(pd.DataFrame({"uCode": ["A", "B", "<i>C</i>"], "nominal": [1.0, 2.0, 3.0],
                                     "median": [1.0, 2.0, 3.0], "q05": [1.0, 1.0, 2.0], "q95": [1.0, 3.0, 3.0]}))
    html = ri.card().html()
    text = text_of(html)
    # widths 0, 2, 1: the median width is 1.0; B is the widest, A the narrowest
    assert "排名区间宽度中位数（5%–95%） 1.0" in " ".join(text.split())
    assert text.index("B") < text.index("A")
    assert "<i>" not in html and "&lt;i&gt;C&lt;/i&gt;" in html


def test_card_escapes_everything_and_formats_numbers() -> None:
    card = Card('<b>"x"</b>', [("<a>", "1 & 2")], note="<script>")
    html = card.html()
    assert "<b>" not in html and "<a>" not in html and "<script>" not in html and "1 &amp; 2" in html
    assert fmt(1234567) == "1,234,567" and fmt(0.5) == "0.50" and fmt(float("nan")) == "—" and fmt(pd.NA) == "—"
