"""Pilots and demonstration programmes (registry, revisions, decisions, own targets), projects and
their duplicate-review queue (issue 17).

Revision ID: 0005_pilots17
Revises: 0004_regional12
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_pilots17"
down_revision = "0004_regional12"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "pilot_programmes",
        sa.Column("id", sa.String(50), primary_key=True),
        sa.Column("name_zh", sa.Text, nullable=False),
        sa.Column("name_en", sa.Text, nullable=False),
        sa.Column("content", sa.JSON, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("synced_at", TZ, nullable=False),
    )
    op.create_table(
        "pilots",
        sa.Column("id", sa.String(80), primary_key=True),
        sa.Column("programme_id", sa.String(50), nullable=False),
        sa.Column("batch", sa.Integer, nullable=False),
        sa.Column("unit_name", sa.Text, nullable=False),
        sa.Column("area_code", sa.String(12)),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("theme", sa.Text, nullable=False),
        sa.Column("start", sa.String(10), nullable=False),
        sa.Column("end", sa.String(10)),
        sa.Column("goals", sa.Text, nullable=False),
        sa.Column("budget", sa.Float),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("state_since", sa.String(10), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("quality", sa.Text, nullable=False),
        sa.Column("partial", sa.Boolean, nullable=False),
        sa.Column("illustrative", sa.Boolean, nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False),
    )
    op.create_index("ix_pilots_programme", "pilots", ["programme_id", "state"])
    op.create_table(
        "pilot_revisions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("pilot_id", sa.String(80), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.UniqueConstraint("pilot_id", "revision", name="uq_pilot_revisions_key"),
    )
    op.create_table(
        "pilot_decisions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("pilot_id", sa.String(80), nullable=False),
        sa.Column("from_state", sa.String(20)),
        sa.Column("to_state", sa.String(20), nullable=False),
        sa.Column("decided_on", sa.String(10), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("evidence", sa.JSON),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
    )
    op.create_index("ix_pilot_decisions_pilot", "pilot_decisions", ["pilot_id"])
    op.create_table(
        "pilot_targets",
        sa.Column("pilot_id", sa.String(80), primary_key=True),
        sa.Column("indicator_id", sa.String(50), primary_key=True),
        sa.Column("baseline_period", sa.String(10)),
        sa.Column("baseline", sa.Float),
        sa.Column("target_period", sa.String(10), nullable=False),
        sa.Column("target", sa.Float, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False),
    )
    op.create_table(
        "projects",
        sa.Column("id", sa.String(80), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("owner_unit", sa.Text, nullable=False),
        sa.Column("area_code", sa.String(12)),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("functions", sa.JSON, nullable=False),
        sa.Column("budget", sa.Float),
        sa.Column("start", sa.String(10)),
        sa.Column("end", sa.String(10)),
        sa.Column("pilot_id", sa.String(80)),
        sa.Column("plan_item", sa.String(50)),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
    )
    op.create_table(
        "duplicate_pairs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("project_a", sa.String(80), nullable=False),
        sa.Column("project_b", sa.String(80), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("reasons", sa.JSON, nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("decision_reason", sa.Text, nullable=False),
        sa.Column("decided_by", sa.String(100)),
        sa.Column("decided_at", TZ),
        sa.Column("created_at", TZ, nullable=False),
        sa.UniqueConstraint("project_a", "project_b", name="uq_duplicate_pairs_key"),
    )
    op.create_index("ix_duplicate_pairs_state", "duplicate_pairs", ["state"])


def downgrade() -> None:
    op.drop_index("ix_duplicate_pairs_state", "duplicate_pairs")
    op.drop_table("duplicate_pairs")
    op.drop_table("projects")
    op.drop_table("pilot_targets")
    op.drop_index("ix_pilot_decisions_pilot", "pilot_decisions")
    op.drop_table("pilot_decisions")
    op.drop_table("pilot_revisions")
    op.drop_index("ix_pilots_programme", "pilots")
    op.drop_table("pilots")
    op.drop_table("pilot_programmes")
