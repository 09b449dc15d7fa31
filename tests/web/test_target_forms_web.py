"""Issue 19 on the indicator page: a re-based baseline shown beside the printed one, a non-level target in words."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from planmon.framework import load_framework
from planmon.framework.loader import builtin_dir
from planmon.store import Store
from planmon.web.app import create_app
from tests.web.conftest import WebEnv, login, make_users


def _store_with_forms(tmp: Path) -> Store:
    """The built-in plan with I01's baseline re-based and I04 turned into a floor to hold every year."""
    root = tmp / "fw"
    shutil.copytree(builtin_dir(), root)
    path = root / "indicators.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    for x in doc["indicators"]:
        if x["id"] == "I01":
            x["rebased"] = {"period": x["baseline"]["period"], "value": 9.9, "reason_zh": "统计口径调整（测试）",
                            "reason_en": "a new statistical method (test)"}
        if x["id"] == "I04":
            x.pop("target", None)
            x["trajectory"] = {"method": "linear"}
            x["target_form"] = "bound"
            x["target_rule"] = {"value": 5, "comparator": ">"}
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    store = Store.open(f"sqlite:///{tmp / 'forms.db'}")
    store.init(load_framework(root))
    return store


def test_indicator_page_shows_both_baselines_and_the_form(tmp_path: Path) -> None:
    store = _store_with_forms(tmp_path)
    env = WebEnv(store, create_app(store, reports_dir=tmp_path / "reports"), make_users(store), tmp_path)
    client = env.client()
    login(client, "admin")
    page = client.get("/indicators/I01").text
    assert 'id="rebased"' in page and "按新口径调整为 9.9" in page and "统计口径调整（测试）" in page
    assert "规划印发的基期值 9.89" in page  # the printed baseline stays visible
    en = client.get("/indicators/I01", params={"lang": "en"}).text
    assert "re-based to 9.9" in en and "a new statistical method (test)" in en
    floor = client.get("/indicators/I04", params={"lang": "zh"}).text
    assert '<span id="target-text">&gt; 5（每年）</span>' in floor
    j = client.get("/indicators/I04", params={"format": "json"}).json()
    assert j["target_form"] == "bound" and j["target_text"] == "> 5（每年）"


def test_report_indicator_table_shows_both_baselines_and_the_form(tmp_path: Path) -> None:
    from planmon.report.model import build_model
    from planmon.report.tables import indicator_table

    store = _store_with_forms(tmp_path)
    # the report's number format keeps the indicator's two decimals (9.90)
    for lang, rebased, floor in (("zh", "9.90 (2020); 原9.89 (2020)", "> 5（每年）"),
                                 ("en", "9.90 (2020); printed 9.89 (2020)", "> 5 every year")):
        table = indicator_table(build_model(store, lang=lang, uncertainty_n=10))
        rows = {r[0]: r for r in table.rows}
        assert rows["I01"][3] == rebased, rows["I01"]
        assert rows["I04"][5] == floor, rows["I04"]
