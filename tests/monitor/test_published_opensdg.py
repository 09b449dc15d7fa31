"""planmon's opensdg scheme against statuses published by an Open SDG site (issue 20, "Must show" 3).

Statistics Canada's SDG data repository (github.com/sdg-data-canada-odd-donnees/sdg-data-donnees-odd) stores,
for each indicator, the configuration of its progress calculation (direction, target, target year) and the
status its tool computed and published (``progress_status`` in ``indicator-config/<id>.yml``), beside the data
(``data/indicator_<id>.csv``). Below are the headline series (rows without disaggregation) and the published
statuses of six indicators, read from the stored copies named in each case (repository path @ commit). The data
and the configuration are stored at different commits (the status was computed from the data of its day); the
test asserts that planmon, on the stored data, gives the published status. The six are every indicator looked at
that has ``auto_progress_calculation: true``, a computed status and a plain headline series (1-4-1 and 9-c-1
have no computed status, 3-4-1 is set by hand, 5-5-1 is assessed on a transformed ``Progress`` column). The site
uses the older status names: substantial_progress = on track, moderate_progress = acceleration needed,
negligible_progress = limited progress. No stored configuration with a natural limit or several series was found
(searched: the repository's indicator-config files above, sdg-build's tests, find_string "limit: 100").

No baseline is declared, as on the site: the base-year rule (2015, else the first year after it) picks the base.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from planmon.monitor import assess

PUBLISHED = {"substantial_progress": "on_track", "moderate_progress": "acceleration_needed",
             "negligible_progress": "limited_progress", "limited_progress": "limited_progress",
             "deterioration": "deterioration", "target_achieved": "achieved"}

CASES: list[dict[str, Any]] = [
    {   # 1.2.1 poverty rate; indicator-config/1-2-1.yml @ 081560e8: direction negative, target 7.25 in 2030,
        # progress_status substantial_progress; data/indicator_1-2-1.csv @ 01b4e2c2 (headline rows).
        # R = −1·((7.4/14.5)^(1/6) − 1)/|0.5^(1/15) − 1| = 0.10598/0.04516 = 2.35 ≥ 0.95.
        "id": "1.2.1", "direction": "-", "target": ("2030", 7.25), "published": "substantial_progress",
        "values": {"2015": 14.5, "2016": 12.9, "2017": 11.9, "2018": 11.2, "2019": 10.3, "2020": 6.4, "2021": 7.4},
    },
    {   # 3.2.1 under-5 mortality; indicator-config/3-2-1.yml @ 07241ea9: negative, target 25 (2030),
        # target_achieved; data/indicator_3-2-1.csv @ 03bb6858. 5.15 ≤ 25.
        "id": "3.2.1", "direction": "-", "target": ("2030", 25.0), "published": "target_achieved",
        "values": {"2015": 5.29, "2016": 5.28, "2017": 5.24, "2018": 5.46, "2019": 5.12, "2020": 5.15},
    },
    {   # 3.3.2 tuberculosis incidence; indicator-config/3-3-2.yml @ 07241ea9: negative, target 0 (2030) — the
        # zero-target rule (0 → 0.001); deterioration; data/indicator_3-3-2.csv @ 03bb6858.
        # CAGR_a = (4.66/4.6)^(1/5) − 1 = +0.26% against a required fall: R < 0.
        "id": "3.3.2", "direction": "-", "target": ("2030", 0.0), "published": "deterioration",
        "values": {"2010": 4.66, "2011": 4.72, "2012": 4.9, "2013": 4.71, "2014": 4.56, "2015": 4.6, "2016": 4.88,
                   "2017": 5.01, "2018": 4.85, "2019": 5.11, "2020": 4.66},
    },
    {   # 3.6.1 road traffic deaths; indicator-config/3-6-1.yml @ 01e2d6fe: negative, target 3.2 in 2020,
        # negligible_progress; data/indicator_3-6-1.csv @ 076ff7bc.
        # R = −((4.8/6.4)^(1/4) − 1)/|0.5^(1/5) − 1| = 0.06940/0.12945 = 0.536 < 0.60.
        "id": "3.6.1", "direction": "-", "target": ("2020", 3.2), "published": "negligible_progress",
        "values": {"2015": 6.4, "2016": 5.9, "2017": 5.4, "2018": 5.0, "2019": 4.8},
    },
    {   # 17.8.1 internet users; indicator-config/17-8-1.yml @ 081560e8: positive, no target, moderate_progress;
        # data/indicator_17-8-1.csv @ 4cd1d1d6. No 2015 value: the base is 2018 (the first year after 2015).
        # g = (92.3/91.3)^(1/2) − 1 = 0.546% ∈ [0.5%, 1.5%).
        "id": "17.8.1", "direction": "+", "target": None, "published": "moderate_progress",
        "values": {"2018": 91.3, "2020": 92.3},
    },
    {   # 16.1.1 homicide rate; indicator-config/16-1-1.yml @ 0eb28927: negative, no target, deterioration;
        # data/indicator_16-1-1.csv @ 08e5cf33. The 2014 value is before the base year: the base is 2015.
        # g = −((2.06/1.71)^(1/6) − 1) = −3.15% < 0.
        "id": "16.1.1", "direction": "-", "target": None, "published": "deterioration",
        "values": {"2014": 1.48, "2015": 1.71, "2016": 1.71, "2017": 1.83, "2018": 1.79, "2019": 1.83,
                   "2020": 2.0, "2021": 2.06},
    },
]


def _assess(cases: list[dict[str, Any]]) -> pd.DataFrame:
    rows, specs = [], []
    for c in cases:
        rows += [{"indicator": c["id"], "unit": "CA", "period": p, "value": v} for p, v in c["values"].items()]
        t = c["target"]
        specs.append({"indicator": c["id"], "unit": "CA", "direction": c["direction"], "baseline_period": None,
                      "baseline": float("nan"), "target_period": t[0] if t else None,
                      "target": t[1] if t else float("nan")})
    return assess(pd.DataFrame(rows), pd.DataFrame(specs), scheme="opensdg").set_index("indicator")


def test_statuses_published_by_statistics_canada() -> None:
    df = _assess(CASES)
    got = {c["id"]: df.loc[c["id"], "status"] for c in CASES}
    want = {c["id"]: PUBLISHED[c["published"]] for c in CASES}
    assert got == want


@pytest.mark.parametrize("case", [c for c in CASES if c["id"] in {"17.8.1", "16.1.1"}], ids=lambda c: c["id"])
def test_base_year_as_the_site_chose_it(case: dict[str, Any]) -> None:
    r = _assess([case]).iloc[0]
    assert r["baseline_period"] == ("2018" if case["id"] == "17.8.1" else "2015")
