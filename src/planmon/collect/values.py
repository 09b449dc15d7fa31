"""Numbers and names as people type them: ``1,234.5``, ``12.3%``, full-width digits, 浙江/浙江省/330000."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import numpy as np
import pandas as pd

from planmon.framework import Framework

_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


def parse_number(raw: Any) -> tuple[float | None, bool]:
    """One cell → (value or None, whether it carried a percent sign).

    Full-width characters are folded by NFKC; thousands separators must sit every
    three digits (``1,23`` is not a number: it may be a European decimal comma).
    """
    if raw is None or isinstance(raw, bool):
        return None, False
    if isinstance(raw, int | float | np.integer | np.floating):
        v = float(raw)
        return (None if np.isnan(v) or np.isinf(v) else v), False
    s = unicodedata.normalize("NFKC", str(raw)).strip().replace(" ", "").replace("\u00a0", "")
    percent = s.endswith("%")
    if percent:
        s = s[:-1]
    if "," in s:
        if not _THOUSANDS.match(s):
            return None, percent
        s = s.replace(",", "")
    try:
        v = float(s)
    except ValueError:
        return None, percent
    if np.isnan(v) or np.isinf(v):
        return None, percent
    return v, percent


def parse_numbers(col: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A column → (values with NaN where not a number, percent flags, empty flags), vectorised.

    The common case (plain numbers) goes through pandas' C parser; only the cells it
    cannot read take the slow path of :func:`parse_number`.
    """
    n = len(col)
    empty = np.array(col.isna().to_numpy() | (col == "").to_numpy(), dtype=bool, copy=True)
    values = np.array(pd.to_numeric(col, errors="coerce").to_numpy(dtype=float, na_value=np.nan), copy=True)
    percent = np.zeros(n, dtype=bool)
    slow = np.flatnonzero(np.isnan(values) & ~empty)
    if len(slow):
        raw = col.to_numpy()
        for i in slow:
            if isinstance(raw[i], str) and raw[i].strip() == "":
                empty[i] = True
                continue
            v, p = parse_number(raw[i])
            values[i] = np.nan if v is None else v
            percent[i] = p
    return values, percent, empty


def unit_lookup(fw: Framework) -> dict[str, str]:
    """Every way a unit is named → its id: id, GB/T 2260 code, full and short Chinese name, English name."""
    out: dict[str, str] = {}
    for u in fw.units:
        for key in (u.id, u.code, u.name_zh, u.short_zh, u.name_en):
            if key:
                out.setdefault(norm_key(key), u.id)
    return out


def indicator_lookup(fw: Framework) -> dict[str, str]:
    out: dict[str, str] = {}
    for x in fw.indicators:
        for key in (x.id, x.name_zh, x.name_en):
            if key:
                out.setdefault(norm_key(key), x.id)
    return out


def norm_key(s: Any) -> str:
    if isinstance(s, float) and s.is_integer():
        s = int(s)
    return unicodedata.normalize("NFKC", str(s)).strip().lower()


def map_codes(col: pd.Series, fn: Any) -> pd.Series:
    """``col.map(fn)`` evaluated once per distinct value: one factorisation, then a take.

    Imports repeat the same few names a million times; ``fn`` sees each once. Missing cells map to None.
    """
    codes, uniq = pd.factorize(col.to_numpy(dtype=object), use_na_sentinel=True)
    mapped = np.array([*(fn(u) for u in uniq), fn(None)], dtype=object)
    return pd.Series(mapped[codes], index=col.index, dtype=object)  # code -1 (missing) takes fn(None)


def resolve(col: pd.Series, lookup: dict[str, str]) -> pd.Series:
    """Map raw names to ids (unknown names → None)."""
    return map_codes(col, lambda u: lookup.get(norm_key(u)))
