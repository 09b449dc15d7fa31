"""The tables of pilots (试点示范) and projects (信息化项目), on the store's one ``metadata``.

They live beside their package rather than in :mod:`planmon.store.tables` so that this
capability stays in its own files; migration ``0005_pilots17`` creates them. Pilots keep
every revision (``pilot_revisions``) and every state change as a decision
(``pilot_decisions``); a pilot's reported values are ordinary observations under the
framework id ``pilots:<programme>`` (so revisions and audit are the observations' own).
"""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, DateTime, Float, Index, Integer, String, Table, Text, UniqueConstraint

from planmon.store.tables import metadata

TZ = DateTime(timezone=True)

pilot_programmes = Table(
    "pilot_programmes",
    metadata,
    Column("id", String(50), primary_key=True),
    Column("name_zh", Text, nullable=False),
    Column("name_en", Text, nullable=False),
    Column("content", JSON, nullable=False),  # the whole declaration (departments, document, rules, evaluation)
    Column("content_hash", String(64), nullable=False),
    Column("synced_at", TZ, nullable=False),
)

pilots = Table(
    "pilots",
    metadata,
    Column("id", String(80), primary_key=True),
    Column("programme_id", String(50), nullable=False),
    Column("batch", Integer, nullable=False),
    Column("unit_name", Text, nullable=False),
    Column("area_code", String(12)),
    Column("level", String(20), nullable=False),
    Column("theme", Text, nullable=False, default=""),
    Column("start", String(10), nullable=False),
    Column("end", String(10)),
    Column("goals", Text, nullable=False, default=""),
    Column("budget", Float),  # 万元
    Column("state", String(20), nullable=False),
    Column("state_since", String(10), nullable=False),
    Column("source", Text, nullable=False, default=""),
    Column("url", Text, nullable=False, default=""),
    Column("quality", Text, nullable=False, default=""),
    Column("partial", Boolean, nullable=False, default=False),
    Column("illustrative", Boolean, nullable=False, default=False),
    Column("revision", Integer, nullable=False),
    Column("updated_at", TZ, nullable=False),
    Column("updated_by", String(100), nullable=False),
)
Index("ix_pilots_programme", pilots.c.programme_id, pilots.c.state)

pilot_revisions = Table(
    "pilot_revisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("pilot_id", String(80), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("data", JSON, nullable=False),
    Column("reason", Text, nullable=False, default=""),
    Column("origin", Text, nullable=False, default=""),
    Column("created_at", TZ, nullable=False),
    Column("created_by", String(100), nullable=False),
    UniqueConstraint("pilot_id", "revision", name="uq_pilot_revisions_key"),
)

pilot_decisions = Table(
    "pilot_decisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("pilot_id", String(80), nullable=False),
    Column("from_state", String(20)),
    Column("to_state", String(20), nullable=False),
    Column("decided_on", String(10), nullable=False),
    Column("reason", Text, nullable=False),
    Column("evidence", JSON),
    Column("revision", Integer, nullable=False),
    Column("created_at", TZ, nullable=False),
    Column("created_by", String(100), nullable=False),
)
Index("ix_pilot_decisions_pilot", pilot_decisions.c.pilot_id)

pilot_targets = Table(
    "pilot_targets",
    metadata,
    Column("pilot_id", String(80), primary_key=True),
    Column("indicator_id", String(50), primary_key=True),
    Column("baseline_period", String(10)),
    Column("baseline", Float),
    Column("target_period", String(10), nullable=False),
    Column("target", Float, nullable=False),
    Column("updated_at", TZ, nullable=False),
    Column("updated_by", String(100), nullable=False),
)

projects = Table(
    "projects",
    metadata,
    Column("id", String(80), primary_key=True),
    Column("name", Text, nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("owner_unit", Text, nullable=False),
    Column("area_code", String(12)),
    Column("level", String(20), nullable=False, default=""),
    Column("functions", JSON, nullable=False),
    Column("budget", Float),  # 万元
    Column("start", String(10)),
    Column("end", String(10)),
    Column("pilot_id", String(80)),
    Column("plan_item", String(50)),
    Column("source", Text, nullable=False, default=""),
    Column("created_at", TZ, nullable=False),
    Column("created_by", String(100), nullable=False),
)

duplicate_pairs = Table(
    "duplicate_pairs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("project_a", String(80), nullable=False),
    Column("project_b", String(80), nullable=False),
    Column("score", Float, nullable=False),
    Column("reasons", JSON, nullable=False),
    Column("state", String(20), nullable=False),  # open | confirmed | dismissed
    Column("decision_reason", Text, nullable=False, default=""),
    Column("decided_by", String(100)),
    Column("decided_at", TZ),
    Column("created_at", TZ, nullable=False),
    UniqueConstraint("project_a", "project_b", name="uq_duplicate_pairs_key"),
)
Index("ix_duplicate_pairs_state", duplicate_pairs.c.state)
