"""Assessment on a store: current observations, the stored framework and the targets per unit.

Which target and base every indicator × unit is assessed against — own plan, decomposed, national
pace, national target or none — is decided by :mod:`planmon.monitor.basis`; every row says which
(``target_basis``) and shows the value used (``target``) and how it was obtained (``target_source``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from planmon.framework import BUILTIN_DEFAULT, Framework
from planmon.monitor.assess import assess
from planmon.monitor.basis import apply_basis, framework_targets
from planmon.monitor.panel import SPEC_COLUMNS, indicator_specs
from planmon.monitor.risks import find_risks

if TYPE_CHECKING:  # a type only: planmon.monitor does not load SQLAlchemy until a store is used
    from planmon.store import Store


def _national_units(fw: Framework) -> list[str]:
    return [u.id for u in fw.units if u.kind == "region" and u.level == "nation"]


def unit_specs(fw: Framework, observations: pd.DataFrame, unit: str | None = None,
               targets: pd.DataFrame | None = None) -> pd.DataFrame:
    """The framework's indicators expanded to (indicator × unit), each with the target and base it is assessed on."""
    # the plan's main table only: a proxy series is never assessed, a candidate not until confirmed
    specs = indicator_specs(fw.main_indicators()).drop(columns=["unit"])
    observed = observations[["indicator", "unit"]].drop_duplicates()
    # The national unit always; a unit asked for by name gets every indicator, reported or not.
    listed = _national_units(fw) if unit is None else [unit] if unit in {u.id for u in fw.units} else []
    national = pd.DataFrame([(i, u) for i in specs["indicator"] for u in listed], columns=["indicator", "unit"])
    pairs = pd.concat([national, observed], ignore_index=True).drop_duplicates()
    if unit is not None:
        pairs = pairs[pairs["unit"] == unit]
    out = specs.merge(pairs, on="indicator", how="inner")
    tab = framework_targets(fw)
    if targets is not None and len(targets):
        tab = pd.concat([tab, targets], ignore_index=True).drop_duplicates(["indicator", "unit", "period"], keep="last")
    return apply_basis(out, fw, observations, tab)[SPEC_COLUMNS].reset_index(drop=True)


def store_targets(store: Store, framework_id: str, unit: str | None = None) -> pd.DataFrame:
    """The store's current targets and basis declarations (empty on a database without the table yet)."""
    return store.targets(framework_id, unit=unit)


def assess_store(store: Store, framework_id: str = BUILTIN_DEFAULT, *, as_of: str | None = None,
                 scheme: str = "ndrc", unit: str | None = None, params: dict[str, Any] | None = None) -> pd.DataFrame:
    """:func:`assess` on the store's current observations and framework (see the module docstring).

    The result is a DataFrame (:class:`planmon.frames.AssessmentTable`: a notebook shows the count of each
    status above it; any operation on it gives a plain DataFrame).

    >>> assess_store(store, as_of="2024").query("unit == 'CN'")[["indicator", "status"]]  # doctest: +SKIP
    """
    from planmon.frames import AssessmentTable

    fw = store.framework(framework_id)
    obs = store.current_observations(framework_id, unit=unit)
    specs = unit_specs(fw, obs, unit, store_targets(store, framework_id, unit))
    return AssessmentTable(with_entered(assess(obs, specs, as_of=as_of, scheme=scheme, params=params), fw,
                                        store_entered(store, framework_id), as_of))


def store_entered(store: Store, framework_id: str) -> pd.DataFrame:
    """The office's current entries for the framework's qualitative indicators (issue 19)."""
    from planmon.monitor.qualitative import current_statuses

    return current_statuses(store, framework_id)


def with_entered(assessed: pd.DataFrame, fw: Framework, entered: pd.DataFrame | None,
                 as_of: str | None) -> pd.DataFrame:
    """The assessment with the office's statuses on its qualitative rows (see :mod:`planmon.monitor.qualitative`)."""
    from planmon.monitor.qualitative import apply_entered_statuses

    return apply_entered_statuses(assessed, entered if entered is not None else pd.DataFrame(), fw, as_of=as_of)


def risks_store(store: Store, framework_id: str = BUILTIN_DEFAULT, *, as_of: str | None = None,
                scheme: str = "ndrc", unit: str | None = None, params: dict[str, Any] | None = None,
                rules: dict[str, Any] | None = None) -> pd.DataFrame:
    """:func:`find_risks` on :func:`assess_store`'s result: a DataFrame, one row per flag (rule, severity,
    explanation in zh and en, evidence).

    >>> risks_store(store, as_of="2024").query("severity == 'high'")      # doctest: +SKIP
    """
    fw = store.framework(framework_id)
    obs = store.current_observations(framework_id, unit=unit)
    specs = unit_specs(fw, obs, unit, store_targets(store, framework_id, unit))
    assessments = with_entered(assess(obs, specs, as_of=as_of, scheme=scheme, params=params), fw,
                               store_entered(store, framework_id), as_of)
    return find_risks(assessments, obs, specs, as_of=as_of, rules=rules)


def assess_observations(fw: Framework, obs: pd.DataFrame, *, as_of: str | None = None, scheme: str = "ndrc",
                        unit: str | None = None, targets: pd.DataFrame | None = None,
                        entered: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(assessments, specs) of observations and targets already read — the snapshot's one assessment per scheme.

    ``entered``: the office's statuses of qualitative indicators (:func:`store_entered`), applied to their rows."""
    specs = unit_specs(fw, obs, unit, targets)
    return with_entered(assess(obs, specs, as_of=as_of, scheme=scheme), fw, entered, as_of), specs
