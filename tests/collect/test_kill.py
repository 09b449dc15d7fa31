"""A process killed in the middle of an import leaves the database as it was (one transaction)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planmon.framework import load_framework
from planmon.store import Store
from tests.cli_helpers import SRC


def _big_csv(path: Path) -> int:
    fw = load_framework()
    inds = [x.id for x in fw.indicators]
    units = [u.id for u in fw.provinces()]
    periods = [f"{y}-{m:02d}" for y in range(1990, 2026) for m in range(1, 13)] + [
        f"{y}Q{q}" for y in range(1990, 2026) for q in range(1, 5)]
    idx = pd.MultiIndex.from_product([inds, units, periods], names=["indicator", "unit", "period"])
    df = idx.to_frame(index=False)
    df["value"] = np.round(50 + np.random.default_rng(1).random(len(df)), 4)
    df.loc[df["indicator"] == "I01", "value"] /= 10_000  # 亿人: within every province's population (issue 11)
    df.to_csv(path, index=False)
    return len(df)


@pytest.mark.slow
def test_sigkill_mid_import_leaves_db_unchanged(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    store = Store.open(str(db))
    store.init()
    from planmon.collect import export_observations

    before = tmp_path / "before.csv"
    export_observations(store, "csv", before, history=True)
    n_audit = len(store.audit_events(limit=100_000))
    store.engine.dispose()
    csv = tmp_path / "big.csv"
    n = _big_csv(csv)
    assert n > 200_000
    wal = Path(str(db) + "-wal")
    wal_start = wal.stat().st_size if wal.exists() else 0
    proc = subprocess.Popen([sys.executable, "-m", "planmon", "--db", str(db), "import", str(csv), "--max-mb", "200",
                             "--reason", "bulk test load"],
                            env={**os.environ, "PYTHONPATH": str(SRC)}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    # wait until the import is writing (uncommitted pages spill into the WAL), then kill it
    deadline = time.monotonic() + 300
    killed_while_writing = False
    while time.monotonic() < deadline and proc.poll() is None:
        if wal.exists() and wal.stat().st_size > wal_start + 2_000_000:
            proc.send_signal(signal.SIGKILL)
            killed_while_writing = True
            break
        time.sleep(0.02)
    proc.wait(timeout=60)
    assert killed_while_writing, "the import finished before it could be killed"
    assert proc.returncode == -signal.SIGKILL
    store = Store.open(str(db))
    after = tmp_path / "after.csv"
    export_observations(store, "csv", after, history=True)
    assert after.read_bytes() == before.read_bytes()
    assert len(store.audit_events(limit=100_000)) == n_audit
    from planmon.collect.submissions import list_submissions

    assert list_submissions(store) == []
    store.engine.dispose()
