"""Read models of the dashboard: series, latest values by unit, overview cards.

Reads go through the ``ix_observations_current`` index (migration 0003_web) one
indicator at a time; results are cached per process and keyed on the highest audit
event id — every write to the store records an audit event, so a new value, an
accepted submission or a framework sync invalidates the cache on the next request.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import Engine, and_, func, select

from planmon.framework import Framework, Indicator
from planmon.periods import Period
from planmon.store import audit
from planmon.store.tables import observations

T = TypeVar("T")


class VersionedCache:
    """A small LRU cache whose entries die when the store's data version moves on."""

    def __init__(self, engine: Engine, size: int = 256) -> None:
        self.engine = engine
        self.size = size
        self._data: OrderedDict[tuple[Any, ...], tuple[int, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self._key_locks: dict[tuple[Any, ...], threading.Lock] = {}

    def version(self) -> int:
        with self.engine.connect() as conn:
            return audit.data_version(conn)

    def peek(self, key: tuple[Any, ...], version: int) -> Any:
        """The cached value if it is current, else ``None`` (never computes: safe on the event loop)."""
        with self._lock:
            hit = self._data.get(key)
            return hit[1] if hit and hit[0] == version else None

    def get(self, key: tuple[Any, ...], compute: Callable[[], T], version: int | None = None) -> T:
        if version is None:
            version = self.version()
        with self._lock:
            hit = self._data.get(key)
            if hit and hit[0] == version:
                self._data.move_to_end(key)
                return hit[1]
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:  # one computation per key at a time; the others wait and reuse it
            with self._lock:
                hit = self._data.get(key)
                if hit and hit[0] == version:
                    return hit[1]
            value = compute()
            with self._lock:
                self._data[key] = (version, value)
                self._data.move_to_end(key)
                while len(self._data) > self.size:
                    self._data.popitem(last=False)
            return value


def _current(engine: Engine, framework_id: str, indicator: str, units: Sequence[str]) -> list[dict[str, Any]]:
    """Latest accepted revision of each (unit, period) of one indicator, for the given units
    (index seeks per unit on ``ix_observations_current``: the cost follows the units asked for,
    not the size of the table)."""
    o = observations
    cond = [o.c.framework_id == framework_id, o.c.indicator_id == indicator, o.c.state == "accepted",
            o.c.unit_id.in_(list(units))]
    latest = (
        select(o.c.unit_id, o.c.period, func.max(o.c.revision).label("rev"))
        .where(and_(*cond)).group_by(o.c.unit_id, o.c.period).subquery()
    )
    q = (
        select(o.c.unit_id, o.c.period, o.c.period_time, o.c.value, o.c.status, o.c.proxy, o.c.revision)
        .join(latest, and_(o.c.unit_id == latest.c.unit_id, o.c.period == latest.c.period,
                           o.c.revision == latest.c.rev))
        .where(and_(*cond))
        .order_by(o.c.unit_id, o.c.period_time)
    )
    with engine.connect() as conn:
        return [
            {"unit": r[0], "period": r[1], "time": r[2], "value": r[3], "status": r[4], "proxy": bool(r[5]),
             "revision": r[6]}
            for r in conn.execute(q)
        ]


def series(engine: Engine, framework_id: str, indicator: str, unit: str) -> list[dict[str, Any]]:
    return _current(engine, framework_id, indicator, [unit])


def regions(fw: Framework) -> list[str]:
    """The framework's regions below the nation (the map's and the by-region tables' units)."""
    return [u.id for u in fw.units if u.kind == "region" and u.level != "nation"]


def latest_by_unit(engine: Engine, framework_id: str, indicator: str,
                   units: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The most recent period's value of each of ``units`` that reported ``indicator``."""
    out: dict[str, dict[str, Any]] = {}
    for r in _current(engine, framework_id, indicator, units):
        prev = out.get(r["unit"])
        if prev is None or r["time"] >= prev["time"]:
            out[r["unit"]] = r
    return out


def most_reported(engine: Engine, framework_id: str, indicators: Sequence[str], units: Sequence[str]) -> str | None:
    """The indicator reported by the most of ``units`` (the map's default; first in order on a tie)."""
    o = observations
    best: tuple[int, str | None] = (0, None)
    with engine.connect() as conn:
        for ind in indicators:
            q = select(func.count(func.distinct(o.c.unit_id))).where(
                o.c.framework_id == framework_id, o.c.indicator_id == ind, o.c.state == "accepted",
                o.c.unit_id.in_(list(units)))
            n = int(conn.execute(q).scalar() or 0)
            if n > best[0]:
                best = (n, ind)
    return best[1]


def trajectory(ind: Indicator) -> list[dict[str, Any]]:
    """The planned path: baseline, trajectory points, target (straight lines between them)."""
    pts: list[tuple[str, float]] = []
    if ind.baseline:
        pts.append((ind.baseline.period, ind.baseline.value))
    pts.extend((p.period, p.value) for p in ind.trajectory.points)
    if ind.target:
        pts.append((ind.target.period, ind.target.value))
    seen: dict[str, float] = {}
    for period, value in pts:
        seen[period] = value
    return sorted(({"period": k, "value": v, "time": Period.parse(k).time} for k, v in seen.items()),
                  key=lambda p: p["time"])


def indicator_card(engine: Engine, fw: Framework, ind: Indicator, lang: str, national: str = "CN",
                   last_points: int | None = None) -> dict[str, Any]:
    """An indicator's card: latest national value, baseline, target and trend (the last
    ``last_points`` periods on the overview; the whole series on the indicator page)."""
    s = series(engine, fw.plan.id, ind.id, national)
    last = s[-1] if s else None
    return {
        "id": ind.id, "name": ind.name_en if lang == "en" and ind.name_en else ind.name_zh,
        "name_zh": ind.name_zh, "name_en": ind.name_en, "unit": ind.unit_en if lang == "en" and ind.unit_en else ind.unit,
        "direction": ind.direction, "attribute": ind.attribute,
        "baseline": ind.baseline.model_dump() if ind.baseline else None,
        "target": ind.target.model_dump() if ind.target else None,
        "latest": last["value"] if last else None, "latest_period": last["period"] if last else None,
        "series": [{"period": r["period"], "value": r["value"], "status": r["status"], "time": r["time"]}
                   for r in (s[-last_points:] if last_points else s)],
        "trajectory": trajectory(ind),
    }


def region_values(engine: Engine, fw: Framework, unit: str, lang: str) -> list[dict[str, Any]]:
    """A region's latest value of each indicator beside the national one."""
    rows = []
    for ind in fw.main_indicators():
        mine = series(engine, fw.plan.id, ind.id, unit)
        nat = series(engine, fw.plan.id, ind.id, "CN")
        rows.append({
            "indicator": ind.id, "name": ind.name_en if lang == "en" and ind.name_en else ind.name_zh,
            "unit": ind.unit_en if lang == "en" and ind.unit_en else ind.unit,
            "latest": mine[-1]["value"] if mine else None, "latest_period": mine[-1]["period"] if mine else None,
            "national": nat[-1]["value"] if nat else None, "national_period": nat[-1]["period"] if nat else None,
            "series": [{"period": r["period"], "value": r["value"]} for r in mine],
        })
    return rows
