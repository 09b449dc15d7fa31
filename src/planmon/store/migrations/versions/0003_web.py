"""The web app: a settings table (the session-signing key) and indexes for the dashboard reads.

Revision ID: 0003_web
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_web"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "settings",
        sa.Column("name", sa.String(100), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    # the latest accepted revision of a series is read from this index alone
    op.create_index(
        "ix_observations_current", "observations",
        ["framework_id", "indicator_id", "state", "unit_id", "period", "revision"],
    )
    op.create_index("ix_submissions_unit_state", "submissions", ["unit_id", "state"])
    op.create_index("ix_api_tokens_user", "api_tokens", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_api_tokens_user", "api_tokens")
    op.drop_index("ix_submissions_unit_state", "submissions")
    op.drop_index("ix_observations_current", "observations")
    op.drop_table("settings")
