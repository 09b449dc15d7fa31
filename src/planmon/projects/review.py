"""The duplicate-review queue: an office confirms or dismisses each candidate pair with a reason.

Every decision is audited (who, when, before and after, the reason). Confirmed pairs enter the
supervision list (督办清单) of the projects' owner units (:func:`duplicate_entries`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from planmon.i18n import Message
from planmon.pilots.tables import duplicate_pairs, projects
from planmon.refusal import Refusal
from planmon.store import Store, audit

DECISIONS = {"confirm": "confirmed", "dismiss": "dismissed"}
STATE_LABELS = {"open": ("待审核", "open"), "confirmed": ("确认重复", "confirmed duplicate"),
                "dismissed": ("排除", "dismissed")}


class ReviewRefused(Refusal):
    code = "review_refused"

    def __init__(self, message: Message, status: int = 422) -> None:
        self.message_zh, self.message_en, self.status = message.zh, message.en, status
        super().__init__(message)


def queue(store: Store, state: str | None = "open") -> list[dict[str, Any]]:
    """Pairs with both projects, best score first (``state`` None: every pair)."""
    q = select(duplicate_pairs).order_by(duplicate_pairs.c.score.desc(), duplicate_pairs.c.id)
    if state:
        q = q.where(duplicate_pairs.c.state == state)
    with store.engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(q).mappings()]
        ids = {r["project_a"] for r in rows} | {r["project_b"] for r in rows}
        projs = {r["id"]: dict(r) for r in conn.execute(select(projects).where(projects.c.id.in_(ids))).mappings()}
    for r in rows:
        r["a"] = _brief(projs.get(r["project_a"], {"id": r["project_a"]}))
        r["b"] = _brief(projs.get(r["project_b"], {"id": r["project_b"]}))
        for k in ("decided_at", "created_at"):
            r[k] = r[k].isoformat() if r[k] else None
    return rows


def _brief(p: dict[str, Any]) -> dict[str, Any]:
    out = {k: p.get(k) for k in ("id", "name", "description", "owner_unit", "area_code", "level", "functions",
                                 "budget", "start", "end")}
    out["registered"] = p["created_at"].isoformat() if p.get("created_at") else ""
    return out


def decide(store: Store, pair_id: int, decision: str, reason: str, actor: str) -> dict[str, Any]:
    """Confirm or dismiss an open pair, with a reason; audited. A decided pair is not decided again."""
    if decision not in DECISIONS:
        raise ReviewRefused(Message(f"决定应为 confirm 或 dismiss，而不是“{decision}”",
                                    f"the decision must be confirm or dismiss, not '{decision}'"))
    if not reason or not reason.strip():
        raise ReviewRefused(Message("确认或排除重复须说明理由", "confirming or dismissing a duplicate needs a reason"))
    with store.engine.begin() as conn:
        cur = conn.execute(select(duplicate_pairs).where(duplicate_pairs.c.id == pair_id)).mappings().first()
        if cur is None:
            raise ReviewRefused(Message(f"没有候选重复对 #{pair_id}", f"no candidate pair #{pair_id}"), 404)
        if cur["state"] != "open":
            raise ReviewRefused(Message(f"候选重复对 #{pair_id} 已于此前{STATE_LABELS[cur['state']][0]}",
                                        f"pair #{pair_id} was already {cur['state']}"), 409)
        new = DECISIONS[decision]
        now = audit.now()
        conn.execute(duplicate_pairs.update().where(duplicate_pairs.c.id == pair_id).values(
            state=new, decision_reason=reason.strip(), decided_by=actor, decided_at=now))
        audit.record(conn, actor, f"duplicate.{decision}", "duplicate_pairs", str(pair_id),
                     before={"state": "open"},
                     after={"state": new, "project_a": cur["project_a"], "project_b": cur["project_b"]},
                     detail=reason.strip())
    return next(r for r in queue(store, None) if r["id"] == pair_id)


def duplicate_entries(store: Store, as_of: date) -> list[dict[str, Any]]:
    """Supervision-list entries for confirmed duplicates: the owner of the later project (by start, then by
    registration) high, the earlier one's medium; both are told what to do."""
    try:
        pairs = queue(store, "confirmed")
    except Exception:  # the tables do not exist before migration 0005_pilots17
        return []
    out = []
    for p in pairs:
        a, b = p["a"], p["b"]
        key_a, key_b = (str(a.get("start") or ""), a["registered"]), (str(b.get("start") or ""), b["registered"])
        later, earlier = (a, b) if key_a >= key_b else (b, a)
        since = p["decided_at"][:10] if p["decided_at"] else None
        for who, other, sev in ((later, earlier, "high"), (earlier, later, "medium")):
            unit = who.get("owner_unit") or ""
            out.append({
                "kind": "duplicate_project", "item": who["id"], "item_title_zh": who.get("name") or who["id"],
                "item_title_en": who.get("name") or who["id"], "unit": unit, "unit_name_zh": unit, "unit_name_en": unit,
                "owed_zh": f"项目“{who.get('name')}”经审核确认与“{other.get('name')}”（{other.get('owner_unit')}）重复建设：{p['decision_reason']}",
                "owed_en": f"project '{who.get('name')}' was confirmed a duplicate of '{other.get('name')}' "
                           f"({other.get('owner_unit')}): {p['decision_reason']}",
                "reference": f"DUP-{p['id']}", "since": since,
                "days_overdue": max((as_of - date.fromisoformat(since)).days, 0) if since else None,
                "suggested_zh": "报送整合共用或停建方案" if sev == "high" else "配合提供共享接口，支持整合共用",
                "suggested_en": "submit a plan to merge, share or stop the project" if sev == "high"
                                else "offer shared interfaces so the systems can be merged",
                "severity": sev,
            })
    return out
