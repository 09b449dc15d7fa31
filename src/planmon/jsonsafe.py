"""The one JSON-safe converter: what the web's JSON twins, the API, the CLI's ``--format json``,
the report's spec appendix and the exports all pass their data through.

Why one: five hand-written variants each missed a different case (a numpy integer, a
``NaT``, a pydantic model, a date inside a DataFrame), so the same figure could be a
number on one face and ``null`` or an error on another. The rules, in order:

* ``None``, ``str``, ``bool``, ``int`` pass; a float that is NaN or ±inf becomes ``None``;
* numpy / pandas scalars become their Python value (``pd.NA`` and ``NaT`` become ``None``);
* dates and times become ISO text; a :class:`~planmon.periods.Period` its text;
* a DataFrame becomes a list of records, a Series a dict, an ndarray a list;
* pydantic models, dataclasses and objects with ``to_dict()`` become dicts;
* dicts (keys as text), lists, tuples and sets recurse; anything else becomes ``str(v)``.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from planmon.periods import Period


def jsonable(v: Any) -> Any:
    """``v`` made of JSON types only (see the module docstring for the rules)."""
    if v is None or isinstance(v, str | bool | int):
        return v
    if isinstance(v, float):
        return None if math.isnan(v) or math.isinf(v) else v
    if isinstance(v, np.generic):
        return jsonable(v.item())
    if v is pd.NA or v is pd.NaT:
        return None
    if hasattr(v, "isoformat"):  # date, datetime, time, pd.Timestamp
        return v.isoformat()
    if isinstance(v, pd.DataFrame):
        return [jsonable(r) for r in v.to_dict(orient="records")]
    if isinstance(v, pd.Series):
        return jsonable(v.to_dict())
    if isinstance(v, np.ndarray):
        return jsonable(v.tolist())
    if isinstance(v, Period):
        return str(v)
    if isinstance(v, Mapping):
        return {str(k): jsonable(x) for k, x in v.items()}
    if isinstance(v, list | tuple | set | frozenset):
        return [jsonable(x) for x in v]
    if hasattr(v, "model_dump"):
        return jsonable(v.model_dump(mode="json"))
    if dataclasses.is_dataclass(v) and not isinstance(v, type):
        return jsonable(dataclasses.asdict(v))
    if hasattr(v, "to_dict") and callable(v.to_dict):
        return jsonable(v.to_dict())
    return str(v)


def dumps(v: Any, *, indent: int | None = None, sort_keys: bool = False) -> str:
    """``json.dumps`` of :func:`jsonable` ``(v)``: UTF-8 text as written (no ``\\uXXXX``), compact unless indented."""
    seps = (",", ":") if indent is None else (",", ": ")
    return json.dumps(jsonable(v), ensure_ascii=False, indent=indent, sort_keys=sort_keys, separators=seps)
