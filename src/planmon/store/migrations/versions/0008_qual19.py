"""Statuses the planning office enters for qualitative targets (issue 19).

A qualitative target (GDP增长 "保持在合理区间、各年度视情提出") has no number to compare: its
status is entered by the planning office with its evidence. ``qualitative_statuses`` keeps every
entry and every revision (append-only; the latest revision of an indicator × unit × period ×
scheme is current; a revision carries its reason). Each write is also in ``audit_events``.

Revision ID: 0008_qual19
Revises: 0007_final15
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_qual19"
down_revision = "0007_final15"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "qualitative_statuses",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("framework_id", sa.String(100), nullable=False),
        sa.Column("indicator_id", sa.String(50), nullable=False),
        sa.Column("unit_id", sa.String(50), nullable=False),
        sa.Column("period", sa.String(10), nullable=False),
        sa.Column("scheme", sa.String(20), nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("evidence_zh", sa.Text, nullable=False),
        sa.Column("evidence_en", sa.Text, nullable=False, server_default=""),
        sa.Column("source", sa.Text, nullable=False, server_default=""),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("entered_by", sa.String(100), nullable=False),
        sa.UniqueConstraint("framework_id", "indicator_id", "unit_id", "period", "scheme", "revision",
                            name="uq_qualitative_statuses_key"),
    )
    op.create_index("ix_qualitative_statuses_series", "qualitative_statuses",
                    ["framework_id", "indicator_id", "unit_id"])


def downgrade() -> None:
    op.drop_index("ix_qualitative_statuses_series", "qualitative_statuses")
    op.drop_table("qualitative_statuses")
