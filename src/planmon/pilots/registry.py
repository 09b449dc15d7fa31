"""The pilot registry in the store: programmes, pilots, revisions and state decisions.

Every change to a pilot is a new revision (the full record, who, why, from where); every
state change is also a decision (from → to, on which date, who, why, with what evidence).
Nothing is overwritten without its history: ``history(pilot)`` reads it all back.
The built-in programmes and the pilots of the published lists load on first use
(:func:`ensure_registry`), marked partial (every published list found is incomplete).
"""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import date
from importlib import resources
from typing import Any

from sqlalchemy import Connection, func, select

from planmon.i18n import Message
from planmon.pilots.model import Programme, builtin_programmes, can_move, programme_from_content, state_label
from planmon.pilots.tables import pilot_decisions, pilot_programmes, pilot_revisions, pilot_targets, pilots
from planmon.refusal import Refusal
from planmon.store import Store, audit

RECORD_FIELDS = ("programme_id", "batch", "unit_name", "area_code", "level", "theme", "start", "end", "goals",
                 "budget", "state", "state_since", "source", "url", "quality", "partial", "illustrative")


class TransitionRefused(Refusal):
    """A state change the programme's rules do not allow (or without a reason); zh and en."""

    code = "transition_refused"

    def __init__(self, message: Message) -> None:
        self.message_zh, self.message_en = message.zh, message.en
        super().__init__(message)


def pilot_id(programme: str, batch: int, area_code: str | None, unit_name: str) -> str:
    """A stable id: programme, batch and area code (or a short hash of the name without one)."""
    tail = area_code or "u" + hashlib.sha1(unit_name.strip().encode()).hexdigest()[:8]
    return f"{programme}-{batch}-{tail}"


def sync_programmes(conn: Connection, programmes: dict[str, Programme], actor: str) -> int:
    """Store the declared programmes; an unchanged declaration writes nothing."""
    stored = {r.id: r.content_hash for r in conn.execute(select(pilot_programmes.c.id, pilot_programmes.c.content_hash))}
    changed = 0
    for p in programmes.values():
        h = p.content_hash()
        if stored.get(p.id) == h:
            continue
        values = {"name_zh": p.name_zh, "name_en": p.name_en, "content": p.raw, "content_hash": h,
                  "synced_at": audit.now()}
        if p.id in stored:
            conn.execute(pilot_programmes.update().where(pilot_programmes.c.id == p.id).values(**values))
        else:
            conn.execute(pilot_programmes.insert().values(id=p.id, **values))
        audit.record(conn, actor, "programme.sync", "pilot_programmes", p.id, after={"hash": h})
        changed += 1
    return changed


def load_programmes(conn: Connection) -> dict[str, Programme]:
    return {r.id: programme_from_content(r.content)
            for r in conn.execute(select(pilot_programmes.c.id, pilot_programmes.c.content).order_by(pilot_programmes.c.id))}


def _seed_rows() -> list[dict[str, Any]]:
    text = (resources.files("planmon.pilots") / "builtin" / "pilots.csv").read_text(encoding="utf-8")
    progs = builtin_programmes()
    out = []
    for r in csv.DictReader(io.StringIO(text)):
        prog = progs[r["programme"]]
        year = int(r["year"])
        code = r["area_code"] or None
        term = int(prog.term_years) if prog.term_years else None
        out.append({
            "id": pilot_id(prog.id, int(r["batch"]), code, r["unit_name"]), "programme_id": prog.id,
            "batch": int(r["batch"]), "unit_name": r["unit_name"], "area_code": code, "level": r["level"],
            "theme": r["theme"], "start": str(year), "end": str(year + term) if term else None, "goals": "",
            "budget": None, "state": "approved", "state_since": str(year), "source": r["source"], "url": r["url"],
            "quality": r["quality"] + ("; end = start + programme term (inferred)" if term else ""),
            "partial": True, "illustrative": False,
        })
    return out


def ensure_registry(store: Store, actor: str = "system:pilots") -> None:
    """Migrate, store the built-in programmes, and load the published pilots once (idempotent)."""
    store.migrate()
    with store.engine.begin() as conn:
        sync_programmes(conn, builtin_programmes(), actor)
        have = {r[0] for r in conn.execute(select(pilots.c.id))}
        for row in _seed_rows():
            if row["id"] not in have:
                write_pilot(conn, row, actor, reason="公布名单（不完整） published list (partial)", origin="builtin:pilots-seed")


def _record(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row.get(k) for k in RECORD_FIELDS}


def write_pilot(conn: Connection, row: dict[str, Any], actor: str, *, reason: str = "", origin: str = "",
                decided_on: str | None = None, evidence: Any = None) -> str:
    """Insert or revise one pilot inside the caller's transaction: ``added``, ``revised`` or ``unchanged``.

    A state change also writes a decision. The caller has checked the row (see importer).
    """
    pid = row["id"]
    cur = conn.execute(select(pilots).where(pilots.c.id == pid)).mappings().first()
    rec = _record(row)
    now = audit.now()
    if cur is not None and _record(dict(cur)) == rec:
        return "unchanged"
    revision = 1 if cur is None else int(cur["revision"]) + 1
    values = {**rec, "revision": revision, "updated_at": now, "updated_by": actor}
    if cur is None:
        conn.execute(pilots.insert().values(id=pid, **values))
    else:
        conn.execute(pilots.update().where(pilots.c.id == pid).values(**values))
    conn.execute(pilot_revisions.insert().values(pilot_id=pid, revision=revision, data=rec, reason=reason,
                                                 origin=origin, created_at=now, created_by=actor))
    before = _record(dict(cur)) if cur is not None else None
    if cur is None or cur["state"] != rec["state"]:
        conn.execute(pilot_decisions.insert().values(
            pilot_id=pid, from_state=None if cur is None else cur["state"], to_state=rec["state"],
            decided_on=decided_on or rec["state_since"], reason=reason, evidence=evidence, revision=revision,
            created_at=now, created_by=actor))
    changes = {k: v for k, v in rec.items() if before is None or before.get(k) != v}
    audit.record(conn, actor, "pilot.create" if cur is None else "pilot.revise", "pilots", pid,
                 before={k: before[k] for k in changes} if before else None, after=changes, detail=reason)
    return "added" if cur is None else "revised"


def transition(store: Store, pid: str, to_state: str, actor: str, reason: str, *, on: date | None = None,
               evidence: Any = None) -> dict[str, Any]:
    """Move a pilot one step (a recorded decision with who, why and evidence); refused otherwise."""
    if not reason or not reason.strip():
        raise TransitionRefused(Message("状态变更必须说明理由", "a state change needs a reason"))
    ensure_registry(store)
    with store.engine.begin() as conn:
        cur = conn.execute(select(pilots).where(pilots.c.id == pid)).mappings().first()
        if cur is None:
            raise TransitionRefused(Message(f"没有试点 {pid}", f"no pilot {pid}"))
        prog = load_programmes(conn)[cur["programme_id"]]
        if to_state not in prog.states:
            raise TransitionRefused(Message(
                f"“{prog.name_zh}”不设“{state_label(to_state)}”状态（可用：{'、'.join(state_label(s) for s in prog.states)}）",
                f"'{prog.name_en}' has no state '{to_state}' (its states: {', '.join(prog.states)})"))
        if to_state == cur["state"] or not can_move(cur["state"], to_state, prog):
            raise TransitionRefused(Message(
                f"试点 {pid} 不能从“{state_label(cur['state'])}”直接变为“{state_label(to_state)}”（不得跳过环节）",
                f"pilot {pid} cannot go from '{cur['state']}' to '{to_state}' directly (no state may be skipped)"))
        day = (on or date.today()).isoformat()
        row = {**dict(cur), "state": to_state, "state_since": day}
        write_pilot(conn, row, actor, reason=reason.strip(), origin="transition", decided_on=day, evidence=evidence)
    return get_pilot(store, pid)


def list_pilots(store: Store, programme: str | None = None, state: str | None = None) -> list[dict[str, Any]]:
    q = select(pilots).order_by(pilots.c.programme_id, pilots.c.batch, pilots.c.area_code, pilots.c.id)
    if programme:
        q = q.where(pilots.c.programme_id == programme)
    if state:
        q = q.where(pilots.c.state == state)
    with store.engine.connect() as conn:
        return [_out(dict(r)) for r in conn.execute(q).mappings()]


def _out(r: dict[str, Any]) -> dict[str, Any]:
    r["updated_at"] = r["updated_at"].isoformat() if r.get("updated_at") else None
    return r


def get_pilot(store: Store, pid: str) -> dict[str, Any]:
    with store.engine.connect() as conn:
        r = conn.execute(select(pilots).where(pilots.c.id == pid)).mappings().first()
    if r is None:
        raise KeyError(pid)
    return _out(dict(r))


def history(store: Store, pid: str) -> dict[str, list[dict[str, Any]]]:
    """Every revision and every decision of a pilot, oldest first."""
    with store.engine.connect() as conn:
        revs = [dict(r) for r in conn.execute(select(pilot_revisions).where(pilot_revisions.c.pilot_id == pid)
                                              .order_by(pilot_revisions.c.revision)).mappings()]
        decs = [dict(r) for r in conn.execute(select(pilot_decisions).where(pilot_decisions.c.pilot_id == pid)
                                              .order_by(pilot_decisions.c.id)).mappings()]
    for d in revs + decs:
        d["created_at"] = d["created_at"].isoformat()
    return {"revisions": revs, "decisions": decs}


def programmes(store: Store) -> dict[str, Programme]:
    with store.engine.connect() as conn:
        return load_programmes(conn)


def targets(store: Store, programme: str | None = None) -> list[dict[str, Any]]:
    q = select(pilot_targets, pilots.c.programme_id).join(pilots, pilots.c.id == pilot_targets.c.pilot_id)
    if programme:
        q = q.where(pilots.c.programme_id == programme)
    with store.engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(q.order_by(pilot_targets.c.pilot_id, pilot_targets.c.indicator_id)).mappings()]
    for r in rows:
        r.pop("updated_at", None)
    return rows


def counts(store: Store) -> dict[str, dict[str, int]]:
    """Pilots per programme and state (the programme page's summary)."""
    with store.engine.connect() as conn:
        rows = conn.execute(select(pilots.c.programme_id, pilots.c.state, func.count()).group_by(
            pilots.c.programme_id, pilots.c.state)).all()
    out: dict[str, dict[str, int]] = {}
    for prog, st, n in rows:
        out.setdefault(prog, {})[st] = int(n)
    return out
