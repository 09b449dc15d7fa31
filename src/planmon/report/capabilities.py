"""The report's links to the monitoring, evaluation and supervision modules, looked up when called.

Why lazily: the report draws on capabilities that are built separately
(``planmon.monitor``, ``planmon.index``, ``planmon.supervise``). A section appears
when its capability is installed and is replaced by a note saying what is missing
otherwise, so the report never re-implements their logic. Every call into them goes
through this module: this is the one place to look when wiring them.
"""

from __future__ import annotations

import copy
import importlib
from types import ModuleType
from typing import Any

MONITOR = "planmon.monitor"
INDEX = "planmon.index"
SUPERVISE = "planmon.supervise"


def capability(module: str, *names: str) -> ModuleType | None:
    """The module when it can be imported and has every one of ``names``; otherwise None."""
    try:
        mod = importlib.import_module(module)
    except ImportError:
        return None
    return mod if all(hasattr(mod, n) for n in names) else None


def monitor() -> ModuleType | None:
    return capability(MONITOR, "assess_store")


def index() -> ModuleType | None:
    return capability(INDEX, "from_store", "run_index")


def supervise() -> ModuleType | None:
    return capability(SUPERVISE, "supervision_list")


def status_label(mod: ModuleType, scheme: str, code: str, lang: str) -> str:
    """The label of a status code from the monitoring module's own table (zh, en)."""
    labels: dict[str, dict[str, tuple[str, str]]] = getattr(mod, "STATUS_LABELS", {})
    pair = labels.get(scheme, {}).get(code)
    if pair is None:
        return code
    return pair[1] if lang == "en" else pair[0]


# The regional evaluation the report runs when no spec is given: the JRC/COINr default
# pipeline (methods.md §1.2) over the default tree (indicator areas → pillars → INDEX),
# with the uncertainty declared as in the ASEM example (issue #5, point 6): ±25 % noise on
# indicator and pillar weights, two normalisations (min-max to [1, 100] keeps the geometric
# mean defined) and two aggregations.
EVALUATION_SPEC: dict[str, Any] = {
    "impute": {"method": "mean"},
    "treat": {"method": "winsorise", "winmax": 5, "skew": 2.0, "kurtosis": 3.5, "fallback": "log_ct"},
    "normalise": {"method": "minmax", "range": [1, 100]},
    "weights": {"method": "meta"},
    "aggregate": {"method": "arithmetic"},
    "uncertainty": {
        "weights": {"noise": {1: 0.25, 2: 0.25}},
        "normalise": [{"method": "minmax", "range": [1, 100]}, {"method": "zscore", "mean": 10, "sd": 2}],
        "aggregate": ["arithmetic", "geometric"],
    },
}


def evaluation_spec() -> dict[str, Any]:
    """The report's evaluation spec (a copy, so a caller may change it)."""
    return copy.deepcopy(EVALUATION_SPEC)
