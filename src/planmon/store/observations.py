"""Observations: append-only revisions; the current value is the latest accepted one.

Writing the same value again adds nothing (imports are idempotent); a different
value for a key that already has one becomes the next revision, with its reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, and_, func, select

from planmon.periods import Period
from planmon.store import audit
from planmon.store.tables import observations

CURRENT_COLUMNS = [
    "indicator", "unit", "period", "period_time", "value", "status", "source", "note", "proxy", "revision",
    "quality",
]


@dataclass
class NewObservation:
    indicator: str
    unit: str
    period: str
    value: float
    status: str = "final"
    source: str = ""
    note: str = ""
    proxy: bool = False
    quality: str = "quoted"  # quoted | lower-bound | approx | quoted-in-translation | derived


@dataclass
class WriteResult:
    added: int = 0
    unchanged: int = 0
    revised: int = 0
    ids: list[int] = field(default_factory=list)


def _latest(conn: Connection, framework_id: str, keys: set[tuple[str, str, str]] | None,
            states: Sequence[str] = ("accepted",)) -> dict[tuple[str, str, str], dict[str, Any]]:
    """The latest revision per key among rows in ``states`` (and the max revision of any state)."""
    o = observations
    q = select(o).where(o.c.framework_id == framework_id)
    if keys is not None and len(keys) < 500:
        inds = {k[0] for k in keys}
        q = q.where(o.c.indicator_id.in_(inds))
    out: dict[tuple[str, str, str], dict[str, Any]] = {}
    for r in conn.execute(q).mappings():
        key = (r["indicator_id"], r["unit_id"], r["period"])
        if keys is not None and key not in keys:
            continue
        cur = out.setdefault(key, {"max_revision": 0, "current": None})
        cur["max_revision"] = max(cur["max_revision"], r["revision"])
        if r["state"] in states and (cur["current"] is None or r["revision"] > cur["current"]["revision"]):
            cur["current"] = dict(r)
    return out


def write_observations(
    conn: Connection,
    framework_id: str,
    rows: Iterable[NewObservation],
    actor: str,
    *,
    state: str = "accepted",
    submission_id: int | None = None,
    reason: str = "",
    audit_action: str = "observation.write",
) -> WriteResult:
    """Append the rows that change something; runs inside the caller's transaction."""
    rows = list(rows)
    keys = {(r.indicator, r.unit, r.period) for r in rows}
    latest = _latest(conn, framework_id, keys)
    result = WriteResult()
    now = audit.now()
    batch: list[dict[str, Any]] = []
    for r in rows:
        key = (r.indicator, r.unit, r.period)
        info = latest.get(key, {"max_revision": 0, "current": None})
        cur = info["current"]
        if (cur is not None and cur["value"] == r.value and cur["status"] == r.status and cur["proxy"] == r.proxy
                and cur.get("quality", "quoted") == r.quality):
            result.unchanged += 1
            continue
        revision = info["max_revision"] + 1
        info["max_revision"] = revision
        latest[key] = info
        if cur is not None:
            result.revised += 1
        else:
            result.added += 1
        batch.append(
            {
                "framework_id": framework_id, "indicator_id": r.indicator, "unit_id": r.unit,
                "period": r.period, "period_time": Period.parse(r.period).time, "value": float(r.value),
                "status": r.status, "source": r.source, "note": r.note, "proxy": r.proxy,
                "quality": r.quality, "revision": revision, "state": state, "submission_id": submission_id, "reason": reason,
                "created_at": now, "created_by": actor,
            }
        )
    if batch:
        conn.execute(observations.insert(), batch)
        audit.record(
            conn, actor, audit_action, "observations", framework_id,
            after={"rows": len(batch), "submission_id": submission_id, "state": state},
            detail=reason,
        )
    return result


def current_observations(conn: Connection, framework_id: str, indicator: str | None = None,
                         unit: str | None = None) -> pd.DataFrame:
    """The current value of every key: the latest accepted revision."""
    o = observations
    cond = [o.c.framework_id == framework_id, o.c.state == "accepted"]
    if indicator:
        cond.append(o.c.indicator_id == indicator)
    if unit:
        cond.append(o.c.unit_id == unit)
    latest = (
        select(o.c.indicator_id, o.c.unit_id, o.c.period, func.max(o.c.revision).label("rev"))
        .where(and_(*cond))
        .group_by(o.c.indicator_id, o.c.unit_id, o.c.period)
        .subquery()
    )
    q = (
        select(
            o.c.indicator_id.label("indicator"), o.c.unit_id.label("unit"), o.c.period, o.c.period_time,
            o.c.value, o.c.status, o.c.source, o.c.note, o.c.proxy, o.c.revision, o.c.quality,
        )
        .join(
            latest,
            and_(
                o.c.indicator_id == latest.c.indicator_id, o.c.unit_id == latest.c.unit_id,
                o.c.period == latest.c.period, o.c.revision == latest.c.rev,
            ),
        )
        .where(o.c.framework_id == framework_id)
        .order_by(o.c.indicator_id, o.c.unit_id, o.c.period_time)
    )
    df = pd.DataFrame(conn.execute(q).all(), columns=CURRENT_COLUMNS)
    if not df.empty:
        df["proxy"] = df["proxy"].astype(bool)
    return df


#: the columns of :func:`history`, in the table's order
HISTORY_COLUMNS = [c.name for c in observations.c]


def history(conn: Connection, framework_id: str, indicator: str, unit: str) -> pd.DataFrame:
    """Every revision of every period of one series, oldest first: one row per stored revision.

    Columns: those of the observations table (``id, framework_id, indicator_id, unit_id, period,
    period_time, value, status, source, note, proxy, revision, quality, state, submission_id,
    reason, created_at, created_by``); ``submission_id`` is a nullable integer (``<NA>`` for values
    not entered through a submission), ``created_at`` ISO text as the audit log writes it.
    ``jsonable(frame)`` gives the records the CLI prints.
    """
    o = observations
    q = (
        select(o)
        .where(o.c.framework_id == framework_id, o.c.indicator_id == indicator, o.c.unit_id == unit)
        .order_by(o.c.period_time, o.c.period, o.c.revision)
    )
    out = []
    for r in conn.execute(q).mappings():
        d = dict(r)
        d["created_at"] = d["created_at"].isoformat() if d["created_at"] else None
        out.append(d)
    frame = pd.DataFrame(out, columns=HISTORY_COLUMNS)
    frame["submission_id"] = frame["submission_id"].astype("Int64")
    return frame


# ---- bulk path (collect branch): a DataFrame in, same semantics as write_observations ------

FRAME_COLUMNS = [
    "framework_id", "indicator_id", "unit_id", "period", "period_time", "value", "status", "source", "note", "proxy",
    "revision", "state", "submission_id", "reason", "created_at", "created_by",
]


def _existing(conn: Connection, framework_id: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Stored revisions of the keys in ``frame`` (only the indicators it touches are read)."""
    o = observations
    inds = sorted(pd.unique(frame["indicator"]))
    q = select(o.c.indicator_id, o.c.unit_id, o.c.period, o.c.revision, o.c.state, o.c.value, o.c.status,
               o.c.proxy).where(o.c.framework_id == framework_id, o.c.indicator_id.in_(inds))
    return pd.DataFrame(conn.execute(q).all(),
                        columns=["indicator", "unit", "period", "revision", "state", "value", "status", "proxy"])


def write_observation_frame(
    conn: Connection,
    framework_id: str,
    frame: pd.DataFrame,
    actor: str,
    *,
    state: str = "accepted",
    submission_id: int | None = None,
    audit_action: str = "observation.write",
) -> WriteResult:
    """Bulk form of :func:`write_observations` for imports of up to millions of rows.

    ``frame`` has columns indicator, unit, period, value and optionally period_time,
    status, source, note, proxy, reason (per row). A row equal to the current
    accepted value (value, status, proxy) adds nothing; any other row becomes the
    next revision of its key. Rows go in through the driver's bulk path
    (``executemany`` on SQLite, ``COPY`` on PostgreSQL) inside the caller's
    transaction, and one audit event records before and after of every revised key.
    """
    n = len(frame)
    result = WriteResult()
    if n == 0:
        return result
    df = pd.DataFrame({
        "indicator_id": frame["indicator"].astype(str).to_numpy(),
        "unit_id": frame["unit"].astype(str).to_numpy(),
        "period": frame["period"].astype(str).to_numpy(),
        "value": frame["value"].astype(float).to_numpy(),
    })
    if "period_time" in frame:
        df["period_time"] = frame["period_time"].astype(float).to_numpy()
    else:
        df["period_time"] = df["period"].map({p: Period.parse(p).time for p in pd.unique(df["period"])})
    for col, default in (("status", "final"), ("source", ""), ("note", ""), ("proxy", False), ("reason", "")):
        df[col] = frame[col].to_numpy() if col in frame else default
    df["proxy"] = df["proxy"].astype(bool)

    existing = _existing(conn, framework_id, df.rename(columns={"indicator_id": "indicator"}))
    key_l = ["indicator_id", "unit_id", "period"]
    df["revision"] = 1
    before: dict[str, float] = {}
    after: dict[str, float] = {}
    keep = np.ones(n, dtype=bool)
    if not existing.empty:
        ex = existing.rename(columns={"indicator": "indicator_id", "unit": "unit_id"})
        maxrev = ex.groupby(key_l)["revision"].max().rename("_maxrev")
        acc = ex[ex["state"] == "accepted"].sort_values("revision").drop_duplicates(key_l, keep="last")
        acc = acc.set_index(key_l)[["value", "status", "proxy"]].add_prefix("_cur_")
        touched = df["indicator_id"].isin(ex["indicator_id"]) & df["unit_id"].isin(ex["unit_id"])
        idx = np.flatnonzero(touched.to_numpy())
        if len(idx):
            sub = df.iloc[idx][key_l].join(maxrev, on=key_l).join(acc, on=key_l)
            mr = sub["_maxrev"].to_numpy(dtype=float, na_value=np.nan)
            cur_v = sub["_cur_value"].to_numpy(dtype=float, na_value=np.nan)
            same = (~np.isnan(cur_v) & (cur_v == df["value"].to_numpy()[idx])
                    & (sub["_cur_status"].to_numpy() == df["status"].to_numpy()[idx])
                    & (sub["_cur_proxy"].astype(object).to_numpy() == df["proxy"].to_numpy()[idx]))
            keep[idx[same]] = False
            rev = df["revision"].to_numpy().copy()
            rev[idx] = np.where(np.isnan(mr), 1, np.nan_to_num(mr) + 1).astype(int)
            df["revision"] = rev
            revised = ~same & ~np.isnan(cur_v)
            for i, old in zip(idx[revised], cur_v[revised], strict=True):
                k = "/".join(df.iloc[i][key_l])
                before[k] = float(old)
                after[k] = float(df["value"].to_numpy()[i])
            result.revised = int(revised.sum())
    result.unchanged = int((~keep).sum())
    df = df[keep]
    result.added = len(df) - result.revised
    if df.empty:
        return result
    now = audit.now()
    df.insert(0, "framework_id", framework_id)
    df["state"] = state
    df["submission_id"] = submission_id
    df["created_at"] = now
    df["created_by"] = actor
    _bulk_insert(conn, df[FRAME_COLUMNS], now, submission_id)
    audit.record(
        conn, actor, audit_action, "observations", framework_id,
        before={"values": before} if before else None,
        after={"rows": len(df), "added": result.added, "revised": result.revised, "submission_id": submission_id,
               "state": state, "values": after},
    )
    return result


def _plain(v: Any) -> Any:
    """numpy scalars → Python values for the driver."""
    return v.item() if isinstance(v, np.generic) else v


def _bulk_insert(conn: Connection, df: pd.DataFrame, created_at: Any, submission_id: int | None) -> None:
    """Rows of ``df`` (columns FRAME_COLUMNS) through the driver's fastest path, in the caller's transaction.

    Columns with one value throughout (framework, state, actor, usually status, source…) are bound once:
    only the varying columns travel row by row into a temporary table (``executemany`` on SQLite,
    ``COPY`` on PostgreSQL), then one ``INSERT … SELECT`` adds the constants on the server side.
    """
    dbapi: Any = conn.connection.dbapi_connection
    out = df.copy()
    out["created_at"] = created_at
    out["submission_id"] = submission_id
    out["proxy"] = out["proxy"].astype(bool)
    out["revision"] = out["revision"].astype(int)
    const: dict[str, Any] = {c: out[c].iat[0] for c in FRAME_COLUMNS
             if c in ("framework_id", "state", "submission_id", "created_at", "created_by")
             or bool((out[c] == out[c].iat[0]).all())}
    vary = [c for c in FRAME_COLUMNS if c not in const]
    if not vary:
        vary = ["indicator_id"]
        const.pop("indicator_id")
    consts = list(const)
    select_vary = ", ".join(vary)
    if conn.dialect.name == "postgresql":
        import io

        types = {c: str(observations.c[c].type.compile(dialect=conn.dialect)) for c in vary}
        conn.exec_driver_sql("CREATE TEMP TABLE _obs_load (" + ", ".join(f"{c} {types[c]}" for c in vary)
                             + ") ON COMMIT DROP")
        buf = io.StringIO()
        out[vary].to_csv(buf, header=False, index=False)
        text_cols = [c for c in vary if c in ("source", "note", "reason", "status")]
        force = f", FORCE_NOT_NULL ({', '.join(text_cols)})" if text_cols else ""
        with dbapi.cursor() as cur:
            with cur.copy(f"COPY _obs_load ({select_vary}) FROM STDIN WITH (FORMAT csv{force})") as cp:
                cp.write(buf.getvalue())
            params = [_plain(const[c]) for c in consts]
            cur.execute(f"INSERT INTO observations ({select_vary}, {', '.join(consts)}) "
                        f"SELECT {select_vary}, {', '.join(['%s'] * len(consts))} FROM _obs_load", params)
            cur.execute("DROP TABLE _obs_load")
        return
    if conn.dialect.name == "sqlite":
        # the text form SQLAlchemy's SQLite DateTime writes, so both paths read back alike
        const["created_at"] = created_at.strftime("%Y-%m-%d %H:%M:%S.%f")
        if "proxy" in const:
            const["proxy"] = int(bool(const["proxy"]))
        else:
            out["proxy"] = out["proxy"].astype(int)
        params = [_plain(const[k]) for k in consts]
        cur = dbapi.cursor()
        cur.execute("CREATE TEMP TABLE _obs_load (" + select_vary + ")")
        cur.executemany(f"INSERT INTO _obs_load VALUES ({', '.join('?' * len(vary))})",
                        out[vary].astype(object).itertuples(index=False, name=None))
        cur.execute(f"INSERT INTO observations ({select_vary}, {', '.join(consts)}) "
                    f"SELECT {select_vary}, {', '.join('?' * len(consts))} FROM _obs_load", params)
        cur.execute("DROP TABLE _obs_load")
        cur.close()
        return
    conn.execute(observations.insert(), [{str(k): v for k, v in r.items()} for r in out.to_dict("records")])
