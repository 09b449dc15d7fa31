"""Server-side web sessions: logout, a password change, a role change or deactivation end them at once.

Revision ID: 0006_integ11_sessions
Revises: 0005_pilots17
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_integ11_sessions"
down_revision = "0005_pilots17"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_sessions",
        sa.Column("id_hash", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("client", sa.String(100), nullable=False, server_default=""),
    )
    op.create_index("ix_web_sessions_user", "web_sessions", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_web_sessions_user", "web_sessions")
    op.drop_table("web_sessions")
