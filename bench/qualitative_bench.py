"""Benchmark: the office's entered statuses put into an assessment of 100,000 rows (issue 19).

``apply_entered_statuses`` runs on every ``assess_store`` and every Snapshot assessment, so its cost on a
large table matters even when the plan has no qualitative indicator. Measured in the same run, against a
plain ``DataFrame.copy()`` of the same table (the least any function returning a new frame costs):

- 100,000 rows without a qualitative indicator (the common case: only the ``entered_*`` columns added);
- 100,000 rows of which 5,000 are qualitative (an indicator × 5,000 units), 2,000 of them with an entry.

Run: .venv/bin/python bench/qualitative_bench.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from planmon.monitor.qualitative import apply_entered_statuses
from timing import best_of

N = 100_000


def table(qualitative_every: int) -> pd.DataFrame:
    qual = np.arange(N) % qualitative_every == 0 if qualitative_every else np.zeros(N, dtype=bool)
    return pd.DataFrame({
        "indicator": np.where(qual, "Q01", "I01"), "unit": [f"U{i}" for i in range(N)], "status": "as_expected",
        "status_zh": "基本符合预期", "status_en": "as expected", "notes": "", "notes_zh": "",
        "note_codes": pd.Series([[]] * N, dtype=object), "achieved": False, "scheme": "ndrc",
        "reference_period": None, "target_form": np.where(qual, "qualitative", "level"),
        "target_text_zh": np.where(qual, "保持在合理区间、各年度视情提出", None)})


def main() -> None:
    entries = pd.DataFrame({"indicator": "Q01", "unit": [f"U{i * 20}" for i in range(2000)], "period": "2023",
                            "scheme": "ndrc", "status": "lagging", "evidence_zh": "证据", "evidence_en": "",
                            "source": "国家统计局", "revision": 1, "reason": "", "entered_by": "bench",
                            "entered_at": "2026-11-30T00:00:00"})
    for label, df in (("no qualitative row", table(0)), ("5,000 qualitative rows, 2,000 entries", table(20))):
        copy = best_of(lambda df=df: df.copy(), 5)
        applied = best_of(lambda df=df: apply_entered_statuses(df, entries), 5)
        print(f"{N:,} rows, {label}: apply {applied * 1000:.0f} ms | copy {copy * 1000:.0f} ms | "
              f"ratio ×{applied / copy:.1f}")


if __name__ == "__main__":
    main()
