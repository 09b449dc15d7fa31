"""How long ``import planmon`` takes, against ``import json`` and ``import pandas`` in the same run.

``python bench/import_time_bench.py [--runs 15]``: each import runs in a fresh interpreter
(``python -c "import X"``, interleaved so that load on the machine hits all three alike); the
median of the runs is printed for each, with the ratios. The bare interpreter start
(``python -c pass``) is subtracted from each, so the figures are the import itself.
Also prints which heavy libraries ``import planmon`` pulls in (none is the target) and the
first-use time of the names a notebook reaches for (``planmon.load_framework``,
``planmon.run_index``, ``planmon.Store``). Target (issue #18): ``import planmon`` under 0.3 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
HEAVY = ("pandas", "numpy", "matplotlib", "scipy", "sklearn", "sqlalchemy", "fastapi", "weasyprint", "jieba",
         "docx", "openpyxl", "pydantic", "yaml")
CASES = {
    "bare interpreter": "pass",
    "import json": "import json",
    "import pandas": "import pandas",
    "import planmon": "import planmon",
    "planmon.load_framework (first use)": "import planmon; planmon.load_framework",
    "planmon.run_index (first use)": "import planmon; planmon.run_index",
    "planmon.Store (first use)": "import planmon; planmon.Store",
}


def once(code: str) -> float:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    times: dict[str, list[float]] = {k: [] for k in CASES}
    for _ in range(args.runs):
        for name, code in CASES.items():
            times[name].append(once(code))
    med = {k: statistics.median(v) for k, v in times.items()}
    base = med["bare interpreter"]
    print(f"median of {args.runs} fresh interpreters; bare interpreter start {base:.3f} s (subtracted)")
    for name in CASES:
        if name != "bare interpreter":
            print(f"{name:38s} {med[name] - base:7.3f} s")
    own = med["import planmon"] - base
    print(f"import planmon / import json:   ×{own / max(med['import json'] - base, 1e-4):.1f}")
    print(f"import planmon / import pandas: ×{own / max(med['import pandas'] - base, 1e-4):.2f}")
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    loaded = subprocess.run([sys.executable, "-c", "import sys, planmon; print(' '.join(sorted(sys.modules)))"],
                            check=True, env=env, capture_output=True, text=True).stdout.split()
    heavy = [h for h in HEAVY if h in loaded]
    print(f"heavy libraries after import planmon: {', '.join(heavy) if heavy else 'none'}")
    print(f"target: import planmon < 0.300 s — {'met' if own < 0.3 else 'NOT met'} ({own:.3f} s)")


if __name__ == "__main__":
    main()
