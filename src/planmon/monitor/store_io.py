"""Assessment on a store: current observations plus the stored framework.

Which baseline a unit is measured from: the framework declares one baseline and
one target per indicator (the national plan). They apply to the national unit
(CN) and to every other unit that reports the indicator. **If a unit has its own
observation at the baseline period, that observation replaces the framework
baseline for that unit** — a province is measured from where it started, not
from the national starting point; the target stays the framework's (a province
with its own target declares it as its own framework). The note
``baseline_from_unit_observation`` is not needed: the baseline column shows
the value used.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from planmon.framework import BUILTIN_DEFAULT, Framework
from planmon.monitor.assess import assess
from planmon.monitor.panel import indicator_specs
from planmon.monitor.risks import find_risks
from planmon.store import Store


def _national_units(fw: Framework) -> list[str]:
    return [u.id for u in fw.units if u.kind == "region" and u.level == "nation"]


def unit_specs(fw: Framework, observations: pd.DataFrame, unit: str | None = None) -> pd.DataFrame:
    """The framework's indicators expanded to (indicator × unit) with per-unit baselines."""
    specs = indicator_specs(fw.indicators).drop(columns=["unit"])
    observed = observations[["indicator", "unit"]].drop_duplicates()
    # The national unit always; a unit asked for by name gets every indicator, reported or not.
    listed = _national_units(fw) if unit is None else [unit] if unit in {u.id for u in fw.units} else []
    national = pd.DataFrame([(i, u) for i in specs["indicator"] for u in listed], columns=["indicator", "unit"])
    pairs = pd.concat([national, observed], ignore_index=True).drop_duplicates()
    if unit is not None:
        pairs = pairs[pairs["unit"] == unit]
    out = specs.merge(pairs, on="indicator", how="inner")
    if len(observations):
        own = observations[["indicator", "unit", "period", "value"]].rename(
            columns={"period": "baseline_period", "value": "own_baseline"})
        out = out.merge(own, on=["indicator", "unit", "baseline_period"], how="left")
        has_own = np.isfinite(out["own_baseline"].to_numpy(dtype=float))
        out.loc[has_own, "baseline"] = out.loc[has_own, "own_baseline"]
        out = out.drop(columns=["own_baseline"])
    return out.reset_index(drop=True)


def assess_store(store: Store, framework_id: str = BUILTIN_DEFAULT, *, as_of: str | None = None,
                 scheme: str = "ndrc", unit: str | None = None, params: dict[str, Any] | None = None) -> pd.DataFrame:
    """:func:`assess` on the store's current observations and framework (see the module docstring)."""
    fw = store.framework(framework_id)
    obs = store.current_observations(framework_id, unit=unit)
    specs = unit_specs(fw, obs, unit)
    return assess(obs, specs, as_of=as_of, scheme=scheme, params=params)


def risks_store(store: Store, framework_id: str = BUILTIN_DEFAULT, *, as_of: str | None = None,
                scheme: str = "ndrc", unit: str | None = None, params: dict[str, Any] | None = None,
                rules: dict[str, Any] | None = None) -> pd.DataFrame:
    """:func:`find_risks` on :func:`assess_store`'s result."""
    fw = store.framework(framework_id)
    obs = store.current_observations(framework_id, unit=unit)
    specs = unit_specs(fw, obs, unit)
    assessments = assess(obs, specs, as_of=as_of, scheme=scheme, params=params)
    return find_risks(assessments, obs, specs, as_of=as_of, rules=rules)


def assess_observations(fw: Framework, obs: pd.DataFrame, *, as_of: str | None = None, scheme: str = "ndrc",
                        unit: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(assessments, specs) of observations already read — the snapshot's one assessment per scheme."""
    specs = unit_specs(fw, obs, unit)
    return assess(obs, specs, as_of=as_of, scheme=scheme), specs
