"""Full report for 31 provinces (the demo data set): each format's time, against the goals.

Goals (issue 7): HTML + XLSX under 10 s, all four formats under 30 s.
Baseline in the same run: pandas writing the report's data appendix to Excel
(``DataFrame.to_excel``), the least a report export could do.

    .venv/bin/python bench/report_bench.py [--repeat N]
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from planmon.demo import load_demo
from planmon.report import FORMATS, build_model, write_report
from planmon.store import Store
from timing import best_of, report


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(f"sqlite:///{tmp}/bench.db")
        store.init()
        load_demo(store)
        t0 = time.perf_counter()
        model = build_model(store, as_of="2024")
        t_model = time.perf_counter() - t0
        n_prov = len(model.regional.names)
        print(f"report model: {t_model:.2f} s ({n_prov} provinces, {len(model.data_appendix)} observations)")

        def baseline() -> None:
            model.data_appendix.to_excel(io.BytesIO(), index=False)

        t_base = best_of(baseline, args.repeat)
        times: dict[str, float] = {}
        for fmt in FORMATS:
            def run(fmt: str = fmt) -> None:
                model.rendered.clear()  # each format draws its own charts, as if run alone
                write_report(model, Path(tmp) / "out", [fmt])

            times[fmt] = best_of(run, args.repeat)
            report(fmt, times[fmt], "pandas to_excel of the data appendix", t_base)
        def all_four() -> None:
            model.rendered.clear()  # one call: the PDF and the DOCX share the chart images
            write_report(model, Path(tmp) / "all", FORMATS)

        t_all = best_of(all_four, args.repeat)
        report("all four in one call", t_all, "pandas to_excel of the data appendix", t_base)
        fast = t_model + times["html"] + times["xlsx"]
        full = t_model + t_all
        print(f"HTML + XLSX (with the model): {fast:.2f} s (goal < 10 s: {'met' if fast < 10 else 'MISSED'})")
        print(f"all four formats (with the model): {full:.2f} s (goal < 30 s: {'met' if full < 30 else 'MISSED'})")


if __name__ == "__main__":
    main()
