"""The framework, observations, audit events and users.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "frameworks",
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("version", sa.String(50), nullable=False),
        sa.Column("title_zh", sa.Text, nullable=False),
        sa.Column("title_en", sa.Text, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("content", sa.JSON, nullable=False),
        sa.Column("synced_at", TZ, nullable=False),
    )
    op.create_table(
        "plan_items",
        sa.Column("framework_id", sa.String(100), sa.ForeignKey("frameworks.id"), primary_key=True),
        sa.Column("id", sa.String(50), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("parent_id", sa.String(50)),
        sa.Column("title_zh", sa.Text, nullable=False),
        sa.Column("title_en", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("inferred", sa.Boolean, nullable=False),
    )
    op.create_table(
        "milestones",
        sa.Column("framework_id", sa.String(100), sa.ForeignKey("frameworks.id"), primary_key=True),
        sa.Column("id", sa.String(80), primary_key=True),
        sa.Column("item_id", sa.String(50), nullable=False),
        sa.Column("due", sa.String(10), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("text_zh", sa.Text, nullable=False),
        sa.Column("text_en", sa.Text, nullable=False),
        sa.Column("to_be_filled", sa.Boolean, nullable=False),
    )
    op.create_table(
        "units",
        sa.Column("id", sa.String(50), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("code", sa.String(12)),
        sa.Column("name_zh", sa.Text, nullable=False),
        sa.Column("name_en", sa.Text, nullable=False),
        sa.Column("short_zh", sa.Text, nullable=False),
        sa.Column("parent_id", sa.String(50)),
        sa.Column("level", sa.String(20)),
        sa.Column("inferred", sa.Boolean, nullable=False),
    )
    op.create_table(
        "indicators",
        sa.Column("framework_id", sa.String(100), sa.ForeignKey("frameworks.id"), primary_key=True),
        sa.Column("id", sa.String(50), primary_key=True),
        sa.Column("name_zh", sa.Text, nullable=False),
        sa.Column("name_en", sa.Text, nullable=False),
        sa.Column("unit", sa.String(50), nullable=False),
        sa.Column("direction", sa.String(10), nullable=False),
        sa.Column("attribute", sa.String(10), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("frequency", sa.String(10), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
    )
    op.create_table(
        "responsibilities",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("framework_id", sa.String(100), sa.ForeignKey("frameworks.id"), nullable=False),
        sa.Column("item_id", sa.String(50), nullable=False),
        sa.Column("unit_id", sa.String(50), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("inferred", sa.Boolean, nullable=False),
        sa.Column("origin", sa.String(20), nullable=False),
        sa.UniqueConstraint("framework_id", "item_id", "unit_id", name="uq_responsibilities_key"),
    )
    op.create_table(
        "observations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("framework_id", sa.String(100), nullable=False),
        sa.Column("indicator_id", sa.String(50), nullable=False),
        sa.Column("unit_id", sa.String(50), nullable=False),
        sa.Column("period", sa.String(10), nullable=False),
        sa.Column("period_time", sa.Float, nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("proxy", sa.Boolean, nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("submission_id", sa.Integer),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.UniqueConstraint(
            "framework_id", "indicator_id", "unit_id", "period", "revision", name="uq_observations_key"
        ),
    )
    op.create_index("ix_observations_series", "observations", ["framework_id", "indicator_id", "unit_id"])
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", TZ, nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("action", sa.String(50), nullable=False),
        sa.Column("entity", sa.String(50), nullable=False),
        sa.Column("entity_id", sa.String(200), nullable=False),
        sa.Column("before", sa.JSON),
        sa.Column("after", sa.JSON),
        sa.Column("detail", sa.Text, nullable=False),
    )
    op.create_index("ix_audit_events_entity", "audit_events", ["entity", "entity_id"])
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(100), nullable=False, unique=True),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("scopes", sa.JSON, nullable=False),
        sa.Column("display_name", sa.Text, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )


def downgrade() -> None:
    for name in ("users", "audit_events", "observations", "responsibilities", "indicators", "units",
                 "milestones", "plan_items", "frameworks"):
        op.drop_table(name)
