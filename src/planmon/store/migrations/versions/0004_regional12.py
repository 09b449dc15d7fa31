"""Denominators (population, GDP, … per unit and period, with sources) and targets per unit (own plan, decomposed).

Revision ID: 0004_regional12
Revises: 0003_web
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_regional12"
down_revision = "0003_web"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "denominators",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("unit_id", sa.String(50), nullable=False),
        sa.Column("period", sa.String(10), nullable=False),
        sa.Column("period_time", sa.Float, nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("measure_unit", sa.String(50), nullable=False, server_default=""),
        sa.Column("source", sa.Text, nullable=False, server_default=""),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.UniqueConstraint("name", "unit_id", "period", "revision", name="uq_denominators_key"),
    )
    op.create_index("ix_denominators_series", "denominators", ["name", "unit_id"])
    op.create_table(
        "unit_targets",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("framework_id", sa.String(100), nullable=False),
        sa.Column("indicator_id", sa.String(50), nullable=False),
        sa.Column("unit_id", sa.String(50), nullable=False),
        sa.Column("target_period", sa.String(10), nullable=False),
        sa.Column("value", sa.Float),  # empty on a basis declaration (national_target, national_pace, none)
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("baseline_period", sa.String(10)),
        sa.Column("baseline_value", sa.Float),
        sa.Column("source", sa.Text, nullable=False, server_default=""),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("illustrative", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.UniqueConstraint("framework_id", "indicator_id", "unit_id", "target_period", "revision",
                            name="uq_unit_targets_key"),
    )
    op.create_index("ix_unit_targets_series", "unit_targets", ["framework_id", "indicator_id", "unit_id"])


def downgrade() -> None:
    op.drop_index("ix_unit_targets_series", "unit_targets")
    op.drop_table("unit_targets")
    op.drop_index("ix_denominators_series", "denominators")
    op.drop_table("denominators")
