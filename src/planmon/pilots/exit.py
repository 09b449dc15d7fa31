"""The exit rule (退出机制): which pilots should lose their status, by which rule, on what evidence.

Pure: it reads tables and returns candidates, so the rule can be tested on hand-built cases.
A programme declares its parameters (``exit_rule`` in programmes.yaml):

``behind_periods`` (2) and ``behind_share`` (0.5)
    **behind_targets** — in each of the last ``behind_periods`` reporting periods with an
    assessment, at least ``behind_share`` of the pilot's own indicators were 滞后 (lagging:
    progress share below the time share less the tolerance, the monitoring engine's ``ndrc``
    scheme) — behind its own targets that many periods running.
``overdue_reports`` (2) and ``grace_days`` (90)
    **overdue_reports** — at least that many ended reporting periods (a period has ended when its
    last day plus the grace days is before the date) since the pilot's start with no value reported.
term end
    **term_ended** — the term ended (end + grace days) and the pilot is still active: it is owed
    an evaluation; listed as a candidate for the office to evaluate or close, not to exit.

Only pilots in ``active`` or ``evaluated`` are considered (an approved pilot has not started).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pandas as pd

from planmon.pilots.importer import day_bounds

DEFAULT_RULE: dict[str, Any] = {"behind_periods": 2, "behind_share": 0.5, "overdue_reports": 2, "grace_days": 90}
CONSIDERED = ("active", "evaluated")


@dataclass
class ExitCandidate:
    pilot: str
    rule: str
    text_zh: str
    text_en: str
    evidence: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"pilot": self.pilot, "rule": self.rule, "text_zh": self.text_zh, "text_en": self.text_en,
                "evidence": self.evidence}


def ended_periods(start: str, as_of: date, grace_days: int) -> list[str]:
    """Annual reporting periods from the pilot's start year whose report is due before ``as_of``."""
    first = day_bounds(start)[0].year
    out = []
    y = first
    while date(y, 12, 31) + timedelta(days=grace_days) < as_of:
        out.append(str(y))
        y += 1
    return out


def exit_candidates(pilots: list[dict[str, Any]], statuses: pd.DataFrame, reported: dict[str, set[str]],
                    as_of: date, rule: dict[str, Any] | None = None) -> list[ExitCandidate]:
    """Candidates for exit (or evaluation) as of a date.

    ``statuses``: one row per pilot × indicator × period with columns ``unit`` (pilot id),
    ``indicator``, ``period``, ``status`` (ndrc codes), ``progress_share``, ``time_share``, ``latest``,
    ``target``. ``reported``: pilot id → the periods with at least one reported value.
    """
    r = {**DEFAULT_RULE, **(rule or {})}
    n_behind, share, n_over, grace = int(r["behind_periods"]), float(r["behind_share"]), int(r["overdue_reports"]), int(r["grace_days"])
    out: list[ExitCandidate] = []
    for p in pilots:
        if p["state"] not in CONSIDERED:
            continue
        pid = p["id"]
        st = statuses[statuses["unit"] == pid] if len(statuses) else statuses
        if len(st):
            periods = sorted(set(st["period"]), key=lambda x: str(x))
            last = periods[-n_behind:]
            behind = []
            for per in last:
                s = st[st["period"] == per]
                lag = s[s["status"] == "lagging"]
                if len(s) and len(lag) / len(s) >= share:
                    behind.append({"period": str(per), "lagging": len(lag), "indicators": len(s),
                                   "detail": [{"indicator": str(x["indicator"]), "latest": _f(x.get("latest")),
                                               "target": _f(x.get("target")), "progress_share": _f(x["progress_share"]),
                                               "time_share": _f(x["time_share"])} for x in lag.to_dict("records")]})
            if len(last) >= n_behind and len(behind) == len(last):
                names = [str(b["period"]) for b in behind]
                ps = "、".join(names)
                out.append(ExitCandidate(
                    pid, "behind_targets",
                    f"连续 {n_behind} 个报告期（{ps}）落后于自身目标：滞后指标占比不低于 {share:.0%}",
                    f"behind its own targets {n_behind} periods running ({', '.join(names)}): "
                    f"at least {share:.0%} of its indicators lagging", behind))
        due = ended_periods(p["start"], as_of, grace)
        missing = [x for x in due if x not in reported.get(pid, set())]
        if len(missing) >= n_over:
            out.append(ExitCandidate(
                pid, "overdue_reports", f"{len(missing)} 个报告期逾期未报送（{'、'.join(missing)}）",
                f"{len(missing)} reporting periods overdue ({', '.join(missing)})",
                [{"period": x, "due": (date(int(x), 12, 31) + timedelta(days=grace)).isoformat()} for x in missing]))
        if p.get("end") and p["state"] == "active" and day_bounds(p["end"])[1] + timedelta(days=grace) < as_of:
            out.append(ExitCandidate(
                pid, "term_ended", f"试点期已于 {p['end']} 结束，尚未评估", f"the term ended {p['end']} and it is not evaluated",
                [{"end": p["end"]}]))
    return out


def _f(v: Any) -> float | None:
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None
    return None if x != x else round(x, 4)
