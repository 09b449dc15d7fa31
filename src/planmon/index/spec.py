"""The YAML spec: which steps run, in which order, with which named methods and parameters.

Example (COINr's ASEM build)::

    denominate: true
    impute: {method: group_mean, group: EurAsia_group}
    screen: {min_availability: 0.9}
    treat: {method: winsorise, winmax: 5, skew: 2.0, kurtosis: 3.5, fallback: log_ct}
    normalise: {method: minmax, range: [0, 100]}
    weights: {method: meta}
    aggregate: {method: arithmetic}          # or per level: {2: arithmetic, 3: geometric}

Data steps run in the order the spec lists them; weights and aggregation follow.
Every method is looked up by name in the registry, and every parameter is checked
against the method's signature (:mod:`validate`), so a typo anywhere is an error naming its path.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from planmon.i18n import Message
from planmon.index import aggregate as _aggregate  # noqa: F401  (registers methods)
from planmon.index import denominate as _denominate  # noqa: F401
from planmon.index import impute as _impute  # noqa: F401
from planmon.index import normalise as _normalise  # noqa: F401
from planmon.index import rescale as _rescale  # noqa: F401
from planmon.index import scorers as _scorers  # noqa: F401
from planmon.index import screen as _screen  # noqa: F401
from planmon.index import transform as _transform  # noqa: F401
from planmon.index import treat as _treat  # noqa: F401
from planmon.index import weights as _weights  # noqa: F401
from planmon.index.errors import SpecError, fail
from planmon.index.validate import DATA_STEPS, DEFAULT_METHOD, TOP_KEYS, check_method, validate_spec

__all__ = ["DATA_STEPS", "DEFAULT_METHOD", "DEFAULT_SPEC", "TOP_KEYS", "Spec", "check_params", "load_spec", "parse_spec"]

DEFAULT_SPEC: dict[str, Any] = {
    "impute": {"method": "mean"},
    "treat": {"method": "winsorise", "winmax": 5, "skew": 2.0, "kurtosis": 3.5, "fallback": "log_ct"},
    "normalise": {"method": "minmax", "range": [0, 100]},
    "weights": {"method": "meta"},
    "aggregate": {"method": "arithmetic"},
}


@dataclass
class Spec:
    raw: dict[str, Any]
    steps: list[tuple[str, dict[str, Any]]]
    weights: dict[int | str, dict[str, Any]]  # level → params; "all" for every level
    aggregate: dict[int | str, dict[str, Any]]
    scorer: dict[str, Any] | None = None
    uncertainty: dict[str, Any] = field(default_factory=dict)
    sensitivity: dict[str, Any] = field(default_factory=dict)
    period: Any = None
    rescale: dict[str, Any] | None = None

    def weights_for(self, level: int) -> dict[str, Any]:
        return self.weights.get(level) or self.weights.get("all") or {"method": "meta"}

    def aggregate_for(self, level: int) -> dict[str, Any]:
        return self.aggregate.get(level) or self.aggregate.get("all") or {"method": "arithmetic"}


def load_spec(spec: dict[str, Any] | str | Path | None) -> dict[str, Any]:
    """Read a spec from a dict, a YAML file path, or YAML text."""
    if spec is None:
        return copy.deepcopy(DEFAULT_SPEC)
    if isinstance(spec, dict):
        return copy.deepcopy(spec)
    text: str
    p = Path(spec) if isinstance(spec, Path) or (isinstance(spec, str) and "\n" not in spec and len(spec) < 1000) else None
    if p is not None and p.exists():
        text = p.read_text(encoding="utf-8")
    elif isinstance(spec, str) and (":" in spec or "{" in spec):
        text = spec
    else:
        raise fail(f"找不到规格文件 {spec}", f"spec file not found: {spec}")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise fail(f"规格文件不是有效的 YAML：{exc}", f"the spec is not valid YAML: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise fail("规格文件应为映射（键: 值）", "the spec must be a mapping (key: value)")
    return data


def _as_params(step: str, value: Any) -> dict[str, Any] | None:
    if value is False or value is None:
        return None
    if value is True:
        return {"method": DEFAULT_METHOD[step]}
    if isinstance(value, str):
        return {"method": value}
    if isinstance(value, dict):
        out = dict(value)
        if step == "screen" and "method" not in out:
            out["method"] = out.pop("rule", "byNA")
        out.setdefault("method", DEFAULT_METHOD[step])
        return out
    raise fail(f"规格中 {step} 的值无效：{value!r}", f"invalid value for {step} in the spec: {value!r}")


def check_params(step: str, params: dict[str, Any], skip: tuple[str, ...] = ()) -> list[Message]:
    """Problems of one step's parameters (unknown names, bad values), as messages."""
    return [i.message for i in check_method(step, {k: v for k, v in params.items() if k not in skip}, step)]


def _levelled(step: str, value: Any) -> dict[int | str, dict[str, Any]]:
    """``{method: …}`` (all levels), a method name, or ``{2: arithmetic, 3: {method: geometric}}``."""
    if isinstance(value, dict) and value and all(isinstance(k, int) or str(k).isdigit() for k in value):
        out: dict[int | str, dict[str, Any]] = {}
        for k, v in value.items():
            p = _as_params(step, v)
            if p is not None:
                out[int(k)] = p
        return out
    if step == "aggregate" and isinstance(value, dict) and isinstance(value.get("dat_thresh"), dict):
        base = {k: v for k, v in value.items() if k != "dat_thresh"}
        out = {"all": _as_params(step, base) or {"method": "arithmetic"}}
        for lev, t in value["dat_thresh"].items():
            out[int(lev)] = {**out["all"], "dat_thresh": t}
        return out
    p = _as_params(step, value)
    return {"all": p} if p else {}


def parse_spec(spec: dict[str, Any] | str | Path | None) -> Spec:
    """Validate a spec strictly (every key at every depth, see :mod:`validate`) and return it parsed.

    All problems are reported together as a :class:`SpecError`, each with its path.
    """
    raw = load_spec(spec)
    issues = validate_spec(raw)
    if issues:
        raise SpecError(issues)
    steps: list[tuple[str, dict[str, Any]]] = []
    for k, v in raw.items():
        if k in DATA_STEPS:
            p = _as_params(k, v)
            if p is not None:
                steps.append((k, p))
    weights = _levelled("weights", raw.get("weights", {"method": "meta"}))
    aggregate = _levelled("aggregate", raw.get("aggregate", {"method": "arithmetic"}))
    scorer = _as_params("scorer", raw["scorer"]) if raw.get("scorer") is not None else None
    rescale = _as_params("rescale", raw["rescale"]) if raw.get("rescale") is not None else None
    return Spec(raw, steps, weights, aggregate, scorer, raw.get("uncertainty") or {}, {}, raw.get("period"), rescale)
