"""The report's section on pilots and demonstration (试点示范) and on duplicated construction found.

Built from the library (:mod:`planmon.pilots`, :mod:`planmon.projects`), never recomputed here: the
registry by programme, each programme's evaluation (scores with rank intervals, exit candidates;
marked illustrative when it runs on generated data), and the duplicate-review queue's outcome.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from planmon.report.table import Table

TITLE = ("六、试点示范与重复建设", "6. Pilots and duplicated construction")


@dataclass
class PilotsSection:
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


def build_pilots_section(store: Any, lang: str, as_of: date) -> PilotsSection | None:
    """The section as of a date; None when the store has no pilot tables (nothing to report)."""
    try:
        from planmon.pilots import counts, ensure_registry, list_pilots, programmes, state_label
        from planmon.pilots.evaluation import evaluate_programme
        from planmon.projects.review import queue
    except ImportError:
        return None
    en = lang == "en"

    def t(zh: str, e: str) -> str:
        return e if en else zh

    ensure_registry(store)
    progs = programmes(store)
    n = counts(store)
    plist = list_pilots(store)
    sec = PilotsSection()
    real = [p for p in plist if not p["illustrative"]]
    sec.paragraphs.append(t(
        f"名录收录试点示范项目 {len(progs)} 个、试点 {len(real)} 个（据已找到的公布名单，均不完整）。",
        f"The registry holds {len(progs)} programmes and {len(real)} pilots (from the published lists found, all partial)."))
    sec.tables.append(Table(
        "pilot_programmes", t("试点示范项目", "Pilot programmes"),
        [t("项目", "Programme"), t("文号", "Document"), t("试点期（年）", "Term (years)"), t("试点数", "Pilots"),
         t("状态", "States")],
        [[p.name(lang), p.document_no or "—", p.term_years if p.term_years is not None else "—",
          sum(n.get(p.id, {}).values()),
          "；".join(f"{state_label(s, lang)} {c}" for s, c in sorted(n.get(p.id, {}).items()))]
         for p in progs.values()], widths=[4, 3, 1.2, 1, 3]))
    names = {p["id"]: p["unit_name"] for p in plist}
    for prog in progs.values():
        ev = evaluate_programme(store, prog.id, as_of, n=200)
        if ev.scores.empty and not ev.candidates:
            continue
        flags: dict[str, list[str]] = {}
        for c in ev.candidates:
            flags.setdefault(c.pilot, []).append(c.text_en if en else c.text_zh)
        note = "；".join(x["en" if en else "zh"] for x in ev.notes)
        sec.paragraphs.append(t(
            f"{prog.name_zh}：评价期 {ev.as_of}，评分试点 {len(ev.scores)} 个，退出候选 {len({c.pilot for c in ev.candidates})} 个。",
            f"{prog.name_en}: period {ev.as_of}, {len(ev.scores)} pilots scored, "
            f"{len({c.pilot for c in ev.candidates})} exit candidates.") + (f"（{note}）" if note and not en else
                                                                           f" ({note})" if note else ""))
        rows: list[list[Any]] = [[names.get(r["pilot"], r["pilot"]), round(float(r["score"]), 1), int(r["rank"]),
                                  f"{int(r['rank_q05'])}–{int(r['rank_q95'])}", "；".join(flags.get(r["pilot"], []))]
                                 for r in ev.scores.to_dict("records")]
        scored = set(ev.scores["pilot"]) if len(ev.scores) else set()
        rows += [[names.get(pid, pid), None, None, "", "；".join(txt)] for pid, txt in flags.items() if pid not in scored]
        sec.tables.append(Table(
            f"pilots_{prog.id}"[:31], t(f"{prog.name_zh}：评分、排名区间与退出预警", f"{prog.name_en}: scores, rank intervals, exit flags"),
            [t("试点", "Pilot"), t("得分", "Score"), t("排名", "Rank"), t("排名区间（5%–95%）", "Rank interval (5–95 %)"),
             t("退出预警", "Exit flags")], rows, note=note, widths=[3, 1, 1, 1.5, 5], digits=1))
    try:
        pairs = queue(store, None)
    except Exception:  # no project tables yet
        pairs = []
    by_state = {s: sum(1 for p in pairs if p["state"] == s) for s in ("open", "confirmed", "dismissed")}
    sec.paragraphs.append(t(
        f"重复建设核查：发现可能重复的项目对 {len(pairs)} 对，其中确认重复 {by_state['confirmed']} 对、排除 {by_state['dismissed']} 对、"
        f"待审核 {by_state['open']} 对；确认的重复建设已列入相关建设单位的督办清单。",
        f"Duplicated construction: {len(pairs)} likely duplicate pairs found; {by_state['confirmed']} confirmed, "
        f"{by_state['dismissed']} dismissed, {by_state['open']} awaiting review; confirmed ones are on the owner units' "
        "supervision lists."))
    label = {"open": t("待审核", "open"), "confirmed": t("确认重复", "confirmed"), "dismissed": t("排除", "dismissed")}
    shown = sorted(pairs, key=lambda p: (("confirmed", "open", "dismissed").index(p["state"]), -p["score"]))[:30]
    if shown:
        sec.tables.append(Table(
            "duplicates", t("可能重复建设的项目对", "Likely duplicate projects"),
            [t("项目", "Project"), t("项目", "Project"), t("相似度", "Score"), t("结论", "Outcome"), t("理由", "Reasons")],
            [[f"{p['a']['name']}（{p['a']['owner_unit']}）", f"{p['b']['name']}（{p['b']['owner_unit']}）",
              round(float(p["score"]), 2), label[p["state"]],
              p["decision_reason"] or "；".join(x["en" if en else "zh"] for x in p["reasons"].get("reasons", [])[:3])]
             for p in shown], widths=[3, 3, 1, 1.2, 5]))
    return sec
