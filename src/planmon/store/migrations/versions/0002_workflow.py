"""Submissions, progress reports with evidence, API tokens and stored results.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("framework_id", sa.String(100), nullable=False),
        sa.Column("unit_id", sa.String(50)),
        sa.Column("period", sa.String(10)),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("source_kind", sa.String(20), nullable=False),
        sa.Column("filename", sa.Text, nullable=False),
        sa.Column("file_sha256", sa.String(64), nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("report", sa.JSON),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("reviewed_at", TZ),
        sa.Column("reviewed_by", sa.String(100)),
        sa.Column("comment", sa.Text, nullable=False),
    )
    op.create_table(
        "progress_reports",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("framework_id", sa.String(100), nullable=False),
        sa.Column("item_id", sa.String(50), nullable=False),
        sa.Column("unit_id", sa.String(50), nullable=False),
        sa.Column("period", sa.String(10), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("share_done", sa.Float),
        sa.Column("narrative", sa.Text, nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("reported_on", sa.String(10), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.UniqueConstraint(
            "framework_id", "item_id", "unit_id", "period", "revision", name="uq_progress_reports_key"
        ),
    )
    op.create_table(
        "evidence_files",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("progress_report_id", sa.Integer, sa.ForeignKey("progress_reports.id"), nullable=False),
        sa.Column("filename", sa.Text, nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("last_used_at", TZ),
        sa.Column("revoked", sa.Boolean, nullable=False),
    )
    op.create_table(
        "results",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("framework_id", sa.String(100), nullable=False),
        sa.Column("spec_hash", sa.String(64), nullable=False),
        sa.Column("data_hash", sa.String(64), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
    )


def downgrade() -> None:
    for name in ("results", "api_tokens", "evidence_files", "progress_reports", "submissions"):
        op.drop_table(name)
