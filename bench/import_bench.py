"""Import benchmark: 1,000,000 long-CSV observations into SQLite and PostgreSQL, validation included.

Run: ``.venv/bin/python bench/import_bench.py [--rows N] [--pg URL]`` (PostgreSQL from
``PLANMON_TEST_PG`` when set). For each engine it times ``planmon.collect.import_files``
(read the CSV, every validation rule, one transaction) and, in the same run, a bare insert
of the same rows with no validation (SQLite ``executemany`` of ready tuples; PostgreSQL
``COPY`` of a ready CSV buffer), then prints rows per second and the ratio.
Goals (issue #3): ratio ≥ 0.3 and ≥ 200,000 rows/s on SQLite.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from planmon.collect import Limits, import_files
from planmon.framework import Framework, Indicator, load_framework
from planmon.framework.loader import framework_hash
from planmon.framework.model import PlausibleRange
from planmon.store import Store
from planmon.store.observations import FRAME_COLUMNS

BENCH_ID = "bench-import"
N_IND = 100


def bench_framework() -> Framework:
    fw = load_framework().model_copy(deep=True)
    fw.plan.id = BENCH_ID
    fw.observations = []
    fw.indicators += [Indicator(id=f"B{i:03d}", name_zh=f"基准指标{i}", unit="件", plausible=PlausibleRange(min=0))
                      for i in range(N_IND)]
    fw.content_hash = framework_hash(fw)
    return fw


def make_rows(n: int, fw: Framework) -> pd.DataFrame:
    units = [u.id for u in fw.provinces()]
    months = [f"{y}-{m:02d}" for y in range(1990, 2026) for m in range(1, 13)]
    per_ind = len(units) * len(months)
    k = np.arange(n)
    rng = np.random.default_rng(7)
    return pd.DataFrame({
        "indicator": np.array([f"B{i:03d}" for i in range(N_IND)])[k // per_ind],
        "unit": np.array(units)[(k // len(months)) % len(units)],
        "period": np.array(months)[k % len(months)],
        "value": np.round(100 + rng.random(n), 3),  # never a ×3 jump: no warnings
    })


def fresh(url: str) -> Store:
    s = Store.open(url)
    s.init(bench_framework())
    return s


def bare_rows(rows: pd.DataFrame) -> pd.DataFrame:
    from planmon.periods import Period

    now = pd.Timestamp.now(tz="UTC").to_pydatetime()
    times = {p: Period.parse(p).time for p in pd.unique(rows["period"])}
    return pd.DataFrame({
        "framework_id": BENCH_ID, "indicator_id": rows["indicator"], "unit_id": rows["unit"], "period": rows["period"],
        "period_time": rows["period"].map(times), "value": rows["value"], "status": "final", "source": "", "note": "",
        "proxy": False, "revision": 1, "state": "pending", "submission_id": None, "reason": "", "created_at": now,
        "created_by": "bench",
    })[FRAME_COLUMNS]


def bare_sqlite(url: str, data: pd.DataFrame) -> float:
    store = fresh(url)
    out = data.copy()
    out["created_at"] = out["created_at"].map(lambda t: t.strftime("%Y-%m-%d %H:%M:%S.%f"))
    out["proxy"] = 0
    tuples = list(out.astype(object).itertuples(index=False, name=None))
    sql = f"INSERT INTO observations ({', '.join(FRAME_COLUMNS)}) VALUES ({', '.join('?' * len(FRAME_COLUMNS))})"
    raw = store.engine.raw_connection()
    t0 = time.perf_counter()
    cur = raw.cursor()
    cur.executemany(sql, tuples)
    raw.commit()
    dt = time.perf_counter() - t0
    raw.close()
    store.engine.dispose()
    return dt


def bare_pg(url: str, data: pd.DataFrame) -> float:
    store = fresh(url)
    out = data.copy()
    out["created_at"] = out["created_at"].map(lambda t: t.isoformat())
    buf = io.StringIO()
    out.to_csv(buf, header=False, index=False)
    text = buf.getvalue()
    raw = store.engine.raw_connection()
    t0 = time.perf_counter()
    with raw.cursor() as cur, cur.copy(f"COPY observations ({', '.join(FRAME_COLUMNS)}) FROM STDIN WITH "
                                       "(FORMAT csv, FORCE_NOT_NULL (source, note, reason))") as cp:
        cp.write(text)
    raw.commit()
    dt = time.perf_counter() - t0
    raw.close()
    store.engine.dispose()
    return dt


def timed_import(url: str, csv: Path, n: int) -> float:
    store = fresh(url)
    t0 = time.perf_counter()
    res = import_files(store, [csv], "bench", framework_id=BENCH_ID, limits=Limits(max_bytes=1 << 31))
    dt = time.perf_counter() - t0
    assert res.ok and res.added == n, (res.ok, res.added, [f.format("en") for f in res.findings[:5]])
    store.engine.dispose()
    return dt


def pg_database(admin: str) -> tuple[str, str]:
    import psycopg

    name = f"planmon_bench_{uuid.uuid4().hex[:8]}"
    plain = admin.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    return admin.rsplit("/", 1)[0] + "/" + name, name


def drop_pg(admin: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def line(engine: str, n: int, t_imp: float, base: str, t_bare: float) -> None:
    print(f"{engine:10s} import+validation: {t_imp:6.2f} s = {n / t_imp:>9,.0f} rows/s | "
          f"bare {base}: {t_bare:6.2f} s = {n / t_bare:>9,.0f} rows/s | ratio {t_bare / t_imp:.2f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--pg", default=os.environ.get("PLANMON_TEST_PG"))
    args = ap.parse_args()
    fw = bench_framework()
    rows = make_rows(args.rows, fw)
    data = bare_rows(rows)
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "long.csv"
        rows.to_csv(csv, index=False)
        print(f"{args.rows:,} rows, {csv.stat().st_size / 1e6:.1f} MB long CSV, {N_IND} indicators × 31 provinces × months")
        t_bare = bare_sqlite(f"sqlite:///{tmp}/bare.db", data)
        t_imp = timed_import(f"sqlite:///{tmp}/imp.db", csv, args.rows)
        line("SQLite", args.rows, t_imp, "executemany", t_bare)
        if args.pg:
            url, name = pg_database(args.pg)
            try:
                t_bare = bare_pg(url, data)
            finally:
                drop_pg(args.pg, name)
            url, name = pg_database(args.pg)
            try:
                t_imp = timed_import(url, csv, args.rows)
            finally:
                drop_pg(args.pg, name)
            line("PostgreSQL", args.rows, t_imp, "COPY", t_bare)
        else:
            print("PostgreSQL: skipped (set PLANMON_TEST_PG or --pg URL)")


if __name__ == "__main__":
    main()
