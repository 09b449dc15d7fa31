"""Real provincial data (../shared/data/provinces, read in place): encodings, Chinese names, wide
tables, and the warning rules on real series."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook

from planmon.collect import import_files
from planmon.store import Store
from tests.collect.panel import PANEL_ID, panel, panel_framework


@pytest.fixture
def pstore(sqlite_url: str, shared: Path) -> Store:
    s = Store.open(sqlite_url)
    s.init(panel_framework(shared))
    return s


def test_gb18030_csv_with_chinese_unit_names(pstore: Store, shared: Path, tmp_path: Path) -> None:
    df = panel(shared)
    df = df[df["year"].between(2019, 2022)]
    long = df.melt(id_vars=["province_zh", "year"], value_vars=["x3", "x13", "x14"], var_name="指标", value_name="数值")
    long["指标"] = long["指标"].str.upper()
    # half the rows name the province by its short name (浙江), half by the full one (浙江省)
    full = {"北京": "北京市", "天津": "天津市", "上海": "上海市", "重庆": "重庆市", "内蒙古": "内蒙古自治区",
            "广西": "广西壮族自治区", "西藏": "西藏自治区", "宁夏": "宁夏回族自治区", "新疆": "新疆维吾尔自治区"}
    long["地区"] = [full.get(p, p + "省") if i % 2 else p for i, p in enumerate(long["province_zh"])]
    out = tmp_path / "省级数据.csv"
    long[["指标", "地区", "year", "数值"]].rename(columns={"year": "年份"}).to_csv(out, index=False, encoding="gb18030")
    assert b"\xd5\xe3\xbd\xad" in out.read_bytes()  # 浙江 in GB18030, so the file really is not UTF-8
    result = import_files(pstore, [out], "unit:stats", framework_id=PANEL_ID, auto_accept=True)
    assert result.ok, [f.format("en") for f in result.findings[:5]]
    assert result.added == 31 * 4 * 3
    cur = pstore.current_observations(PANEL_ID)
    got = cur[(cur["indicator"] == "X13") & (cur["unit"] == "330000") & (cur["period"] == "2022")]["value"].item()
    src = df[(df["province_code"] == "330000") & (df["year"] == 2022)]["x13"].item()
    assert got == src
    assert sorted(cur["unit"].unique()) == sorted(df["province_code"].unique())


def test_utf8_bom_wide_csv_and_wide_xlsx_with_percent_cells(pstore: Store, shared: Path, tmp_path: Path) -> None:
    df = panel(shared)
    d22 = df[df["year"] == 2022]
    csv = tmp_path / "wide.csv"
    d22[["province_code", "year", "x3", "x14"]].rename(
        columns={"province_code": "地区代码", "year": "年份", "x3": "X3", "x14": "移动电话年末用户"}
    ).to_csv(csv, index=False, encoding="utf-8-sig")
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["unit", "period", "X10"])
    for r in d22.itertuples(index=False):
        ws.append([r.province_en, 2022, r.x10 / 100])  # stored as Excel stores a percent: a fraction
        ws.cell(row=ws.max_row, column=3).number_format = "0.00%"
    xlsx = tmp_path / "wide.xlsx"
    wb.save(xlsx)
    result = import_files(pstore, [csv, xlsx], "unit:stats", framework_id=PANEL_ID, auto_accept=True)
    assert result.ok, [f.format("en") for f in result.findings[:5]]
    # a submission belongs to one reporting unit (issue 11): two files × 31 provinces
    assert result.added == 31 * 3 and len(result.submission_ids) == 2 * 31
    cur = pstore.current_observations(PANEL_ID).set_index(["indicator", "unit"])["value"]
    zj = d22[d22["province_code"] == "330000"].iloc[0]
    assert cur[("X14", "330000")] == zj["x14"]
    assert cur[("X10", "330000")] == pytest.approx(zj["x10"], rel=1e-9)


def test_real_series_break_of_telecom_volume_2021(pstore: Store, shared: Path, tmp_path: Path) -> None:
    # digital_panel_indicators.csv: x8 (telecom business volume) changes price basis in 2018 and 2021
    df = panel(shared)
    f = tmp_path / "x8.csv"
    pd.DataFrame({"indicator": "X8", "unit": df["province_code"], "period": df["year"], "value": df["x8"]}).to_csv(f, index=False)
    result = import_files(pstore, [f], "unit:stats", framework_id=PANEL_ID)
    assert not result.ok and not result.errors
    got = {(x.rule, x.row) for x in result.findings}
    # expected: every province-year whose value moved by more than ×3 or ÷3 from the year before
    p = df.sort_values(["province_code", "year"]).reset_index()
    prev = p.groupby("province_code")["x8"].shift()
    ratio = p["x8"] / prev
    flagged = p[(ratio > 3) | (ratio < 1 / 3)]
    assert set(flagged["year"]) == {2021}
    assert got == {("series_break", int(i) + 2) for i in flagged["index"]}
    ok = import_files(pstore, [f], "unit:stats", framework_id=PANEL_ID,
                      reasons={"series_break": "2021 年起按新不变价计算（口径变化）"})
    assert ok.ok and ok.added == len(df)
    hist = pstore.history("X8", "330000", PANEL_ID)
    reasons = dict(zip(hist["period"], hist["reason"], strict=True))
    assert reasons["2021"].startswith("2021 年起") and reasons["2020"] == ""


def test_mislabelled_copy_and_national_total(pstore: Store, shared: Path, tmp_path: Path) -> None:
    df = panel(shared)
    d = df[df["year"].between(2019, 2022)][["province_code", "year", "x3"]]
    rows = pd.DataFrame({"indicator": "X3", "unit": d["province_code"], "period": d["year"], "value": d["x3"]})
    # Zhejiang's series pasted over Jiangsu's: a mislabelled row
    zj = rows[rows["unit"] == "330000"]["value"].to_numpy()
    rows.loc[rows["unit"] == "320000", "value"] = zj
    # a national 2022 value far below the sum of the provinces (sum 2022 computed from the source)
    total_2022 = rows[rows["period"] == 2022]["value"].sum()
    rows = pd.concat([rows, pd.DataFrame([{"indicator": "X3", "unit": "全国", "period": 2022, "value": total_2022 / 2}])])
    f = tmp_path / "x3.csv"
    rows.to_csv(f, index=False)
    result = import_files(pstore, [f], "unit:stats", framework_id=PANEL_ID)
    nat = [x for x in result.findings if x.rule == "national_total"]
    assert [(x.row, x.column, float(x.value)) for x in nat] == [(len(rows) + 1, "D", total_2022 / 2)]
    dup = [x for x in result.findings if x.rule == "duplicate_series"]
    assert {x.value for x in dup} == {"320000", "330000"} and all(x.column == "B" for x in dup)
    assert {x.rule for x in result.findings} == {"duplicate_series", "national_total"}
    assert not result.ok and pstore.current_observations(PANEL_ID).empty


def test_period_must_fit_frequency(pstore: Store, tmp_path: Path) -> None:
    f = tmp_path / "q.csv"
    f.write_text("indicator,unit,period,value\nQ1,浙江,2024Q2,5\nQ1,浙江,2024,20\nQ1,浙江,2024-05,2\n", encoding="utf-8")
    result = import_files(pstore, [f], "t", framework_id=PANEL_ID)
    assert {(x.rule, x.row, x.column) for x in result.findings} == {("period_frequency", 3, "C"),
                                                                   ("period_frequency", 4, "C")}


def test_value_parsing_typed_numbers() -> None:
    from planmon.collect.values import parse_number, parse_numbers

    assert parse_number("1,234.5") == (1234.5, False)
    assert parse_number("12.3%") == (12.3, True)
    assert parse_number("１２３．４") == (123.4, False)  # full-width digits and point
    assert parse_number("１，２３４") == (1234.0, False)
    assert parse_number("1,23")[0] is None  # a comma not every three digits: maybe a decimal comma
    assert parse_number("约5万")[0] is None
    v, _pct, empty = parse_numbers(pd.Series(["1", "", " 2,000 ", None, "x"], dtype=object))
    assert np.array_equal(np.isnan(v), [False, True, False, True, True])
    assert v[2] == 2000.0 and list(empty) == [False, True, False, True, False]


def test_xlsx_with_title_rows_and_a_notes_sheet(store: Store, tmp_path: Path) -> None:
    wb = Workbook()
    notes = wb.active
    assert notes is not None
    notes.title = "填表说明"
    notes.append(["本表由浙江省统计局填报"])
    data = wb.create_sheet("数据")
    data.append(["2023年 浙江省 信息化指标"])  # a title row above the header
    data.append([])
    data.append(["指标", "地区", "年份", "数值", "备注"])
    data.append(["网民规模", "浙江省", 2023, 0.56, "CNNIC"])
    data.append(["I02", "浙江省", 2023, "70.1%", ""])
    f = tmp_path / "zj.xlsx"
    wb.save(f)
    result = import_files(store, [f], "unit:zj", auto_accept=True)
    assert result.ok, [x.format("en") for x in result.findings]
    cur = store.current_observations(unit="330000").set_index("indicator")
    assert cur.loc["I01", "value"] == 0.56 and cur.loc["I01", "note"] == "CNNIC" and cur.loc["I02", "value"] == 70.1
    # a sheet of notes alone is no data: the finding names it
    only = Workbook()
    only.active.append(["只有说明，没有数据"])  # type: ignore[union-attr]
    g = tmp_path / "notes.xlsx"
    only.save(g)
    assert [(x.rule, x.sheet) for x in import_files(store, [g], "u").findings] == [("missing_column", "Sheet")]
