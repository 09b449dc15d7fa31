"""Export observations (current values, or every revision) as CSV, XLSX or JSON.

Text cells that a spreadsheet would run as a formula (beginning with = + - @, or a
tab/carriage return) are neutralised with a leading apostrophe, so an exported
file opened in Excel or WPS never executes what a reporting unit typed in a note.
Output is sorted and free of timestamps of its own, so two exports of the same
database are byte-for-byte equal.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import IO, Any

import pandas as pd
from sqlalchemy import select

from planmon.framework import BUILTIN_DEFAULT
from planmon.jsonsafe import jsonable
from planmon.spreadsheet import neutralise
from planmon.store.tables import observations

HISTORY_COLUMNS = ["indicator", "unit", "period", "value", "status", "source", "note", "proxy", "revision", "state",
                   "submission_id", "reason", "created_at", "created_by"]


def observation_records(store: Any, history: bool = False, framework_id: str = BUILTIN_DEFAULT) -> pd.DataFrame:
    if not history:
        df = store.current_observations(framework_id)
        return df.drop(columns=["period_time"]) if "period_time" in df else df
    o = observations
    q = (select(o.c.indicator_id.label("indicator"), o.c.unit_id.label("unit"), o.c.period, o.c.value, o.c.status,
                o.c.source, o.c.note, o.c.proxy, o.c.revision, o.c.state, o.c.submission_id, o.c.reason,
                o.c.created_at, o.c.created_by)
         .where(o.c.framework_id == framework_id)
         .order_by(o.c.indicator_id, o.c.unit_id, o.c.period_time, o.c.period, o.c.revision))
    with store.engine.connect() as conn:
        df = pd.DataFrame(conn.execute(q).all(), columns=HISTORY_COLUMNS)
    df["created_at"] = df["created_at"].map(lambda t: t.isoformat() if t is not None else "")
    df["proxy"] = df["proxy"].astype(bool)
    df["submission_id"] = df["submission_id"].astype("Int64")
    return df


def _safe(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            out[c] = out[c].map(neutralise)
    return out


def export_observations(store: Any, fmt: str, path_or_stream: str | Path | IO[Any], history: bool = False,
                        framework_id: str = BUILTIN_DEFAULT) -> int:
    """Write the observations in ``fmt`` (csv, xlsx, json); return the number of records."""
    df = _safe(observation_records(store, history, framework_id))
    records: list[dict[str, Any]] = jsonable(df)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(list(df.columns))
        for r in records:
            w.writerow(["" if v is None else repr(v) if isinstance(v, float) else v for v in r.values()])
        _write(path_or_stream, buf.getvalue().encode("utf-8-sig"))
    elif fmt == "json":
        _write(path_or_stream, (json.dumps(records, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    elif fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("observations")
        ws.append(list(df.columns))
        for r in records:
            ws.append(list(r.values()))
        if isinstance(path_or_stream, str | Path):
            wb.save(str(path_or_stream))
        else:
            b = io.BytesIO()
            wb.save(b)
            path_or_stream.write(b.getvalue())
    else:
        raise ValueError(f"unknown export format '{fmt}': use csv, xlsx or json")
    return len(records)


def _write(target: str | Path | IO[Any], data: bytes) -> None:
    if isinstance(target, str | Path):
        Path(target).write_bytes(data)
        return
    try:
        target.write(data)
    except TypeError:
        target.write(data.decode("utf-8-sig"))
