"""Does the server answer while a large workbook is imported? (issue 11: a 7.4 MB upload froze it for 15 s)

    .venv/bin/python bench/web_responsiveness.py [--requests 50] [--pg URL]

Builds a ≈ 7 MB workbook (tests/web/bigbook.py: 22 400 valid rows), serves the app under uvicorn on
loopback, and measures the latency of ``GET /api/v1/me`` (token check and one user read)

* idle (the baseline of the same run),
* while the workbook is uploaded through ``POST /api/v1/observations/import`` (the import runs in a
  worker thread: the event loop stays free),
* while the same import runs *on the event loop* (a bench-only route calling the library directly, as
  the upload handler did before): every request waits for the whole import.

Printed: p50 / p95 / max in ms for each, the import's own duration, and the ratio busy p95 / idle p95.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from tests.web.bigbook import write_big_workbook  # noqa: E402
from tests.web.browser import serve  # noqa: E402

from planmon.auth import add_user, create_token  # noqa: E402
from planmon.store import Store  # noqa: E402
from planmon.web.app import create_app  # noqa: E402


def _stats(xs: list[float]) -> str:
    xs = sorted(xs)
    p95 = xs[min(len(xs) - 1, round(0.95 * (len(xs) - 1)))]
    return f"p50 {statistics.median(xs) * 1e3:7.1f} ms | p95 {p95 * 1e3:7.1f} ms | max {xs[-1] * 1e3:7.1f} ms"


def _p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(0.95 * (len(xs) - 1)))]


def probe(client: httpx.Client, url: str, n: int, while_alive: threading.Thread | None = None) -> list[float]:
    out = []
    for _ in range(n):
        if while_alive is not None and not while_alive.is_alive():
            break
        t = time.perf_counter()
        r = client.get(url)
        out.append(time.perf_counter() - t)
        assert r.status_code == 200, r.text
        time.sleep(0.05)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=50)
    ap.add_argument("--pg", default=None, help="PostgreSQL URL (default: SQLite in a temp folder)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="planmon-resp-"))
    big = tmp / "big.xlsx"
    rows = write_big_workbook(big)
    print(f"workbook: {rows} rows, {big.stat().st_size / 2**20:.1f} MB")
    store = Store.open(args.pg or f"sqlite:///{tmp / 'bench.db'}")
    store.init()
    add_user(store.engine, "boss", "long-enough-1", "coordinator")
    token = create_token(store.engine, "boss")
    app = create_app(store, reports_dir=tmp / "reports")

    @app.post("/bench/import-on-the-loop", include_in_schema=False)
    async def on_the_loop() -> dict[str, Any]:  # what the upload handler did before issue 11
        from planmon.collect import import_files

        return import_files(store, [big], "bench", reasons={"*": "bench"}).to_dict() | {"findings": []}

    headers = {"Authorization": f"Bearer {token}"}
    with serve(app) as base, httpx.Client(headers=headers, timeout=600) as client:
        probe(client, f"{base}/api/v1/me", 5)  # warm-up
        idle = probe(client, f"{base}/api/v1/me", args.requests)
        took: dict[str, float] = {}

        def upload(path: str, key: str) -> None:
            t = time.perf_counter()
            with big.open("rb") as fh:
                r = httpx.post(f"{base}{path}", headers=headers, params={"reason": "bench"},
                               files={"files": (big.name, fh)}, timeout=600)
            assert r.status_code == 200, r.text[:300]
            took[key] = time.perf_counter() - t

        th = threading.Thread(target=upload, args=("/api/v1/observations/import", "thread"))
        th.start()
        time.sleep(0.5)
        busy = probe(client, f"{base}/api/v1/me", args.requests, while_alive=th)
        th.join()
        with store.engine.begin() as conn:  # the same file again would be "already imported": start over
            conn.exec_driver_sql("DELETE FROM observations WHERE submission_id IS NOT NULL")
            conn.exec_driver_sql("DELETE FROM submissions")
        th = threading.Thread(target=upload, args=("/bench/import-on-the-loop", "loop"))
        th.start()
        time.sleep(0.5)
        blocked = probe(client, f"{base}/api/v1/me", 5, while_alive=th)
        th.join()
    print(f"idle                         : {_stats(idle)}  (n={len(idle)})")
    print(f"import in a worker thread    : {_stats(busy)}  (n={len(busy)}; import took {took['thread']:.1f} s)")
    print(f"import on the event loop     : {_stats(blocked)}  (n={len(blocked)}; import took {took['loop']:.1f} s)")
    print(f"p95 ratio busy/idle: worker thread ×{_p95(busy) / _p95(idle):.1f}, "
          f"event loop ×{_p95(blocked) / _p95(idle):.0f}")
    store.engine.dispose()


if __name__ == "__main__":
    main()
