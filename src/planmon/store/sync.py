"""Copy a validated framework into the store.

Syncing the same framework twice changes nothing (not even a timestamp): the
stored content hash decides. A changed framework replaces its declared rows
(items, indicators, milestones, framework responsibilities) in one transaction;
observations are data and go through :mod:`planmon.store.observations`, so the
built-in observations become revisions like any other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, select, update

from planmon.framework.model import Framework
from planmon.store import audit
from planmon.store.observations import NewObservation, write_observations
from planmon.store.tables import (
    framework_versions,
    frameworks,
    indicators,
    milestones,
    observations,
    plan_items,
    responsibilities,
    units,
)

BUILTIN_ACTOR = "system:builtin"


@dataclass
class SyncResult:
    framework_id: str
    changed: bool
    observations_added: int = 0


def sync_framework(conn: Connection, fw: Framework, actor: str = BUILTIN_ACTOR) -> SyncResult:
    fid = fw.plan.id
    row = conn.execute(select(frameworks.c.content_hash).where(frameworks.c.id == fid)).first()
    if row is not None and row[0] == fw.content_hash:
        return SyncResult(fid, changed=False)

    old_content = _old_content(conn, fid) if row is not None else None
    content = fw.model_dump(mode="json", exclude={"source_path"})
    values = {
        "version": fw.plan.version, "title_zh": fw.plan.title_zh, "title_en": fw.plan.title_en,
        "content_hash": fw.content_hash, "content": content, "synced_at": audit.now(),
    }
    if row is None:
        conn.execute(frameworks.insert().values(id=fid, **values))
    else:
        conn.execute(frameworks.update().where(frameworks.c.id == fid).values(**values))
    conn.execute(framework_versions.insert().values(
        framework_id=fid, version=fw.plan.version, content_hash=fw.content_hash, content=content,
        synced_at=values["synced_at"], synced_by=actor,
    ))
    moved = _apply_moves(conn, fw, old_content, actor) if old_content is not None else 0

    for table in (plan_items, indicators):
        conn.execute(delete(table).where(table.c.framework_id == fid))
    conn.execute(
        delete(responsibilities).where(
            responsibilities.c.framework_id == fid, responsibilities.c.origin == "framework"
        )
    )
    if fw.items:
        conn.execute(
            plan_items.insert(),
            [
                {"framework_id": fid, "id": i.id, "kind": i.kind, "parent_id": i.parent, "title_zh": i.title_zh,
                 "title_en": i.title_en, "position": n, "inferred": i.inferred}
                for n, i in enumerate(fw.items)
            ],
        )
    _sync_milestones(conn, fw, old_content)
    if fw.indicators:
        conn.execute(
            indicators.insert(),
            [
                {"framework_id": fid, "id": x.id, "name_zh": x.name_zh, "name_en": x.name_en, "unit": x.unit,
                 "direction": x.direction, "attribute": x.attribute, "kind": x.kind, "frequency": x.frequency,
                 "position": n, "data": x.model_dump(mode="json")}
                for n, x in enumerate(fw.indicators)
            ],
        )
    _sync_units(conn, fw)
    existing = {
        (r.item_id, r.unit_id)
        for r in conn.execute(
            select(responsibilities.c.item_id, responsibilities.c.unit_id).where(
                responsibilities.c.framework_id == fid
            )
        )
    }
    new_resp = [
        {"framework_id": fid, "item_id": r.item, "unit_id": r.unit, "role": r.role, "inferred": r.inferred,
         "origin": "framework"}
        for r in fw.responsibilities
        if (r.item, r.unit) not in existing
    ]
    if new_resp:
        conn.execute(responsibilities.insert(), new_resp)

    written = write_observations(
        conn, fid,
        (NewObservation(o.indicator, o.unit, o.period, o.value, o.status, o.source, o.note, o.proxy, o.quality)
         for o in fw.observations),
        actor, reason="framework sync", audit_action="observation.builtin",
    )
    audit.record(
        conn, actor, "framework.sync", "frameworks", fid,
        before={"content_hash": row[0]} if row else None,
        after={"content_hash": fw.content_hash, "version": fw.plan.version,
               "from_version": (old_content or {}).get("plan", {}).get("version"), "moved": moved},
    )
    return SyncResult(fid, changed=True, observations_added=written.added + written.revised)


def _apply_moves(conn: Connection, fw: Framework, old_content: dict[str, Any], actor: str) -> int:
    """File stored observations under the indicator a new version says they measure.

    Every revision moves with its key (history, actors and reasons unchanged), so nothing is
    lost and the old indicator's line never mixes two bases. A key already present under the
    target indicator stays where it is (no revision numbers collide). One audit event per move.
    """
    fid = fw.plan.id
    seen = {v.get("version") for v in old_content.get("changelog", [])}
    total = 0
    o = observations
    for ver in fw.changelog:
        if ver.version in seen:
            continue
        for mv in ver.moves:
            cond = [o.c.framework_id == fid, o.c.indicator_id == mv.from_indicator]
            if mv.proxy_only:
                cond.append(o.c.proxy.is_(True))
            rows = conn.execute(select(o.c.id, o.c.unit_id, o.c.period).where(*cond)).all()
            taken = {(r.unit_id, r.period) for r in conn.execute(
                select(o.c.unit_id, o.c.period).where(o.c.framework_id == fid, o.c.indicator_id == mv.to_indicator))}
            # every revision of a key moves together, or none does
            keys = {(r.unit_id, r.period) for r in rows} - taken
            ids = [r.id for r in rows if (r.unit_id, r.period) in keys]
            if mv.proxy_only:
                # a key whose other revisions are not proxies would be split: leave it
                mixed = {(r.unit_id, r.period) for r in conn.execute(
                    select(o.c.unit_id, o.c.period).where(o.c.framework_id == fid,
                                                           o.c.indicator_id == mv.from_indicator,
                                                           o.c.proxy.is_(False)))}
                ids = [r.id for r in rows if (r.unit_id, r.period) in keys - mixed]
            if not ids:
                continue
            conn.execute(update(o).where(o.c.id.in_(ids)).values(indicator_id=mv.to_indicator))
            audit.record(
                conn, actor, "observation.move", "observations", fid,
                before={"indicator": mv.from_indicator}, after={"indicator": mv.to_indicator, "ids": ids},
                detail=f"framework {ver.version}: {mv.from_indicator} -> {mv.to_indicator}",
            )
            total += len(ids)
    return total


def framework_versions_of(conn: Connection, framework_id: str) -> list[dict[str, Any]]:
    """Every stored version of a framework, oldest first (version, hash, when, by whom, changelog)."""
    fv = framework_versions
    out = []
    for r in conn.execute(select(fv).where(fv.c.framework_id == framework_id).order_by(fv.c.id)).mappings():
        content = dict(r["content"])
        out.append({
            "version": r["version"], "content_hash": r["content_hash"],
            "synced_at": r["synced_at"].isoformat() if r["synced_at"] else None, "synced_by": r["synced_by"],
            "changelog": content.get("changelog", []), "content": content,
        })
    return out


def _old_content(conn: Connection, fid: str) -> dict[str, Any] | None:
    row = conn.execute(select(frameworks.c.content).where(frameworks.c.id == fid)).first()
    return dict(row[0]) if row is not None else None


def _sync_milestones(conn: Connection, fw: Framework, old_content: dict[str, Any] | None) -> None:
    """Replace the declared milestones, keeping what the office added or filled.

    Milestones added by a responsibility import (``planmon duties import``) are not in
    the framework and stay. A declared milestone whose stored text differs from what the
    previous framework declared was filled by the office: its text survives a re-sync.
    """
    fid = fw.plan.id
    old_declared: dict[str, dict[str, Any]] = {}
    for item in (old_content or {}).get("items", []):
        for m in item.get("milestones", []):
            old_declared[m["id"]] = m
    stored = {r["id"]: dict(r) for r in conn.execute(select(milestones).where(milestones.c.framework_id == fid)).mappings()}
    new_ids = {m.id for i in fw.items for m in i.milestones}
    for mid in old_declared.keys() - new_ids:
        conn.execute(delete(milestones).where(milestones.c.framework_id == fid, milestones.c.id == mid))
    for item in fw.items:
        for m in item.milestones:
            values = {"item_id": item.id, "due": m.due_date, "kind": m.kind, "text_zh": m.text_zh,
                      "text_en": m.text_en, "to_be_filled": m.to_be_filled}
            have = stored.get(m.id)
            if have is None:
                conn.execute(milestones.insert().values(framework_id=fid, id=m.id, **values))
                continue
            before = old_declared.get(m.id, {})
            if (have["text_zh"], have["text_en"]) != (before.get("text_zh", ""), before.get("text_en", "")):
                for key in ("text_zh", "text_en", "to_be_filled"):
                    values[key] = have[key]  # filled by the office: keep it
            conn.execute(milestones.update().where(milestones.c.framework_id == fid, milestones.c.id == m.id)
                         .values(**values))


def _sync_units(conn: Connection, fw: Framework) -> None:
    """Units are shared across frameworks: insert new ones, update changed ones, never delete."""
    have: dict[str, dict[str, Any]] = {r["id"]: dict(r) for r in conn.execute(select(units)).mappings()}
    for u in fw.units:
        values = {"kind": u.kind, "code": u.code, "name_zh": u.name_zh, "name_en": u.name_en,
                  "short_zh": u.short_zh, "parent_id": u.parent, "level": u.level, "inferred": u.inferred}
        if u.id not in have:
            conn.execute(units.insert().values(id=u.id, **values))
        elif any(have[u.id][k] != v for k, v in values.items()):
            conn.execute(units.update().where(units.c.id == u.id).values(**values))


def stored_framework(conn: Connection, framework_id: str) -> Framework | None:
    """The framework as last synced (what results were computed against)."""
    row = conn.execute(select(frameworks.c.content).where(frameworks.c.id == framework_id)).first()
    if row is None:
        return None
    fw = Framework.model_validate(row[0])
    return fw
