"""Charts of the evaluation reports: outcome against target, and one indicator across two plans."""

from __future__ import annotations

from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from planmon.periods import Period
from planmon.report.charts import setup

COLOURS = {"reached": "#2e7d32", "about_reached": "#7cb342", "not_reached": "#c62828", "cannot_judge": "#9e9e9e"}


def outcome_chart(indicators: pd.DataFrame, lang: str = "zh") -> Figure:
    """Each judged indicator's end value as % of its target, with the 100 % line (capped at 200 %)."""
    setup()
    d = indicators[indicators["pct_of_target"].notna()].iloc[::-1]
    fig = Figure(figsize=(7.0, 0.42 * max(len(d), 3) + 0.9))
    ax = fig.add_subplot(1, 1, 1)
    names = [(r["name_en"] if lang == "en" else r["name_zh"]) for _, r in d.iterrows()]
    names = [n if len(n) <= 22 else n[:21] + "…" for n in names]
    vals = d["pct_of_target"].clip(upper=200).to_numpy()
    ax.barh(range(len(d)), vals, color=[COLOURS.get(o, "#9e9e9e") for o in d["outcome"]], height=0.6)
    for i, (v, full) in enumerate(zip(vals, d["pct_of_target"], strict=True)):
        ax.text(v + 2, i, f"{full:.0f}%", va="center", fontsize=8)
    ax.axvline(100, color="#333333", linewidth=1, linestyle="--")
    ax.set_yticks(range(len(d)), names)
    ax.set_xlim(0, 230)
    ax.set_xlabel("期末值占目标值的百分比（超过200%截断）" if lang != "en" else "end value as % of target (capped at 200 %)")
    fig.tight_layout()
    return fig


def continuity_chart(series: dict[str, Any], lang: str = "zh") -> Figure:
    """Actuals 2020–2025 and the targets of both plans on one time axis, each plan's span shaded."""
    setup()
    fig = Figure(figsize=(7.0, 3.4))
    ax = fig.add_subplot(1, 1, 1)
    pts = series["points"]
    xs = [Period.parse(p["period"]).time for p in pts]
    ys = [p["value"] for p in pts]
    ax.plot(xs, ys, marker="o", color="#1565c0", label="实际值" if lang != "en" else "actual")
    for x, y, p in zip(xs, ys, pts, strict=True):
        mark = {"lower-bound": "> ", "approx": "≈ "}.get(p["quality"], "")
        ax.annotate(f"{mark}{y:g}", (x, y), textcoords="offset points", xytext=(0, 7), ha="center", fontsize=8)
    shades = ["#e3f2fd", "#fff3e0"]
    for k, link in enumerate(series["links"]):
        ax.axvspan(int(link["period_start"]) - 1, int(link["period_end"]), color=shades[k % 2], zorder=0)
        title = link["plan_title_en"] if lang == "en" else link["plan_title_zh"]
        ax.text(int(link["period_start"]) - 0.9, 0.3, title if len(title) <= 18 else title[:17] + "…", fontsize=7,
                color="#555555", transform=ax.get_xaxis_transform())
    for t in series["targets"]:
        tx = float(t["period"][:4])
        ax.scatter([tx], [t["value"]], marker="*", s=160, color="#e65100", zorder=5)
        ax.annotate(("目标 " if lang != "en" else "target ") + f"{t['value']:g}", (tx, t["value"]),
                    textcoords="offset points", xytext=(0, 9), ha="center", fontsize=8, color="#e65100")
    years = [int(link["period_start"]) - 1 for link in series["links"]] + [int(link["period_end"]) for link in series["links"]]
    ax.set_xlim(min(years) - 0.3, max(years) + 0.5)
    ax.set_xticks(range(min(years), max(years) + 1))
    ax.set_ylabel(series["unit"])
    top = max([*ys, *[t["value"] for t in series["targets"]]])
    ax.set_ylim(0, top * 1.25)
    ax.set_title(series["name_en"] if lang == "en" else series["name_zh"], fontsize=10)
    fig.tight_layout()
    return fig
