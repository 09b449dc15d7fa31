"""The demo: an illustrative provincial data set (示意数据) and the loader that puts it in a store.

``planmon demo`` uses it; tests and benchmarks use it as their shipped example.
"""

from __future__ import annotations

import pandas as pd

from planmon.demo.generator import (
    BREAK,
    DEMO_LABEL_EN,
    DEMO_LABEL_ZH,
    DEMO_SEED,
    DEMO_SOURCE,
    LAGGING_PROVINCE,
    MISSING,
    YEARS,
    generate,
)
from planmon.demo.targets import DEMO_TARGETS, demo_targets
from planmon.framework import BUILTIN_DEFAULT
from planmon.store import NewObservation, Store, WriteResult


def load_demo(store: Store, *, framework_id: str = BUILTIN_DEFAULT, seed: int = DEMO_SEED,
              actor: str = "system:demo") -> WriteResult:
    """Write the illustrative data set into ``store`` as accepted observations (idempotent)."""
    data = generate(seed)
    rows = [
        NewObservation(indicator=str(r["indicator"]), unit=str(r["unit"]), period=str(r["period"]),
                       value=float(r["value"]), status=str(r["status"]), source=str(r["source"]), note=str(r["note"]))
        for r in data.to_dict("records")
    ]
    result = store.write_observations(rows, actor, framework_id=framework_id,
                                      reason="示意数据 / illustrative demo data")
    from planmon.targets import write_target_frame

    write_target_frame(store, demo_targets(data), actor, framework_id=framework_id,
                       reason="示意数据 / illustrative demo targets", audit_action="target.demo")
    return result


def is_illustrative(observations: pd.DataFrame) -> bool:
    """Whether any of these observations came from the demo generator."""
    return bool(not observations.empty and (observations["source"] == DEMO_SOURCE).any())


__all__ = [
    "BREAK",
    "DEMO_LABEL_EN",
    "DEMO_LABEL_ZH",
    "DEMO_SEED",
    "DEMO_SOURCE",
    "DEMO_TARGETS",
    "LAGGING_PROVINCE",
    "MISSING",
    "YEARS",
    "demo_targets",
    "generate",
    "is_illustrative",
    "load_demo",
]
