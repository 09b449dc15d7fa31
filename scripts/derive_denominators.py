"""Derive the shipped denominator facts (planmon/denominators/nbs_provinces.csv) from the shared NBS extracts.

Run by a developer, never by the product: ``python scripts/derive_denominators.py ../shared/data/provinces``.
The product ships the figures as facts with the publisher and dataset named; the shared files stay outside the
repository. Years 2019–2022 (the plan's baseline 2020 and the years around it that the data covers).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

OUT = Path(__file__).resolve().parents[1] / "src/planmon/denominators/nbs_provinces.csv"
YEARS = range(2019, 2023)
SOURCES = {
    "population": ("国家统计局 国家数据（data.stats.gov.cn）分省年度数据：年末常住人口（万人）",
                   "NBS National Data, regional annual data: year-end resident population (10k persons)"),
    "gdp": ("国家统计局 国家数据（data.stats.gov.cn）分省年度数据：地区生产总值（亿元，现行修订版）",
            "NBS National Data, regional annual data: gross regional product (100 million CNY, current revised edition)"),
    "retail_sales": ("国家统计局《中国统计年鉴》（2020—2023年卷）分地区社会消费品零售总额（亿元）",
                     "NBS, China Statistical Yearbook (2020–2023 editions): total retail sales of consumer goods by "
                     "region (100 million CNY)"),
}
#: National year-end population, NBS Statistical Communiqués on National Economic and Social Development 2019–2024.
NATIONAL_POPULATION = {2019: 140005, 2020: 141212, 2021: 141260, 2022: 141175, 2023: 140967, 2024: 140828}
NATIONAL_SOURCE = ("国家统计局《中华人民共和国国民经济和社会发展统计公报》（2019—2024年各年）：年末全国人口（万人）",
                   "NBS, Statistical Communiqué of the PRC on National Economic and Social Development (2019–2024 "
                   "editions): national year-end population (10k persons)")


def main(folder: str) -> None:
    base = Path(folder)
    nbs = pd.read_csv(base / "nbs_basic_2011_2022_long.csv", dtype={"province_code": str})
    ctx = pd.read_csv(base / "context_2013_2022.csv", dtype={"province_code": str})
    rows = []
    picks = {"population": ("年末常住人口", "万人"), "gdp": ("GDP", "亿元")}
    for name, (needle, unit) in picks.items():
        sub = nbs[nbs["nbs_series"].str.contains(needle) & nbs["year"].isin(YEARS)]
        rows += [(name, r.province_code, str(r.year), r.value, unit, *SOURCES[name]) for r in sub.itertuples()]
    sub = ctx[ctx["year"].isin(YEARS)]
    rows += [("retail_sales", r.province_code, str(r.year), r.retail_sales_100m_yuan, "亿元", *SOURCES["retail_sales"])
             for r in sub.itertuples()]
    rows += [("population", "CN", str(y), float(v), "万人", *NATIONAL_SOURCE) for y, v in NATIONAL_POPULATION.items()]
    df = pd.DataFrame(rows, columns=["name", "unit", "period", "value", "measure_unit", "source_zh", "source_en"])
    df = df.sort_values(["name", "unit", "period"]).reset_index(drop=True)
    df.to_csv(OUT, index=False, lineterminator="\n")
    print(f"{len(df)} rows → {OUT}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/provinces")
