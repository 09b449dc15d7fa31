"""The server answers while a large workbook is imported (issue 11: a 7.4 MB upload held every other
request for 15 s). The import runs in a worker thread; here the app is served by uvicorn and probed.

What is asserted is the behaviour, not a speed: a server that froze for the import would hold a
request for (nearly) the import's whole duration. So the slowest of the 50 answers must be a small
fraction of the import's own duration, and all 50 must be answered while the import still runs. A
wall-clock bound (it was 200 ms) failed on a loaded CI machine (577 ms once, a GIL switch under load)
without any freeze; the latency figures are in bench/web_responsiveness.py and docs/web.md, not here.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.web.bigbook import write_big_workbook
from tests.web.browser import serve
from tests.web.conftest import WebEnv

SHARE = 0.1  # the slowest answer may take at most a tenth of the import (a freeze takes all of it)


@pytest.mark.slow
def test_fifty_requests_answer_fast_while_a_7_mb_workbook_is_imported(web: WebEnv, tmp_path: Path) -> None:
    big = tmp_path / "big.xlsx"
    rows = write_big_workbook(big)
    assert big.stat().st_size > 6.5 * 2**20 and rows == 22_400
    headers = {"Authorization": f"Bearer {web.tokens['coordinator']}"}
    done: dict[str, object] = {}
    with serve(web.app) as base, httpx.Client(headers=headers, timeout=600) as client:
        assert client.get(f"{base}/api/v1/me").status_code == 200  # warm

        def upload() -> None:
            with big.open("rb") as fh:
                r = httpx.post(f"{base}/api/v1/observations/import", headers=headers, params={"reason": "test"},
                               files={"files": (big.name, fh)}, timeout=600)
            done["status"], done["body"] = r.status_code, r.json()

        th = threading.Thread(target=upload)
        started = time.perf_counter()
        th.start()
        time.sleep(0.5)  # the upload is received and the import has started
        times = []
        for _ in range(50):
            t0 = time.perf_counter()
            r = client.get(f"{base}/api/v1/me")
            times.append(time.perf_counter() - t0)
            assert r.status_code == 200
            time.sleep(0.02)
        still_importing = th.is_alive()
        th.join()
        import_seconds = time.perf_counter() - started
    assert still_importing, "the import finished before the 50 requests: the test proved nothing"
    assert max(times) < SHARE * import_seconds, (
        f"slowest answer {max(times) * 1e3:.0f} ms during an import of {import_seconds:.1f} s")
    assert done["status"] == 200 and done["body"]["added"] + done["body"]["revised"] == rows  # type: ignore[index]
