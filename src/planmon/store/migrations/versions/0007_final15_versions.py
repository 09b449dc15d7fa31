"""Framework versions and the quality of a value.

``framework_versions`` keeps every synced version of a framework (content and changelog), so
an upgraded database shows the plan's history next to its data. ``observations.quality`` says
how the source states a value: quoted, lower-bound ("more than"), approx ("about"),
quoted-in-translation or derived. Existing rows are quoted values (the default); the
version already in ``frameworks`` becomes the first row of ``framework_versions``.

Revision ID: 0007_final15
Revises: 0006_integ11_sessions
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_final15"
down_revision = "0006_integ11_sessions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "framework_versions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("framework_id", sa.String(100), nullable=False),
        sa.Column("version", sa.String(50), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("content", sa.JSON, nullable=False),
        sa.Column("synced_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("synced_by", sa.String(100), nullable=False, server_default=""),
    )
    op.create_index("ix_framework_versions_fw", "framework_versions", ["framework_id", "id"])
    with op.batch_alter_table("observations") as batch:
        batch.add_column(sa.Column("quality", sa.String(24), nullable=False, server_default="quoted"))
    op.execute(
        "INSERT INTO framework_versions (framework_id, version, content_hash, content, synced_at, synced_by) "
        "SELECT id, version, content_hash, content, synced_at, 'migration:0007_final15' FROM frameworks"
    )


def downgrade() -> None:
    with op.batch_alter_table("observations") as batch:
        batch.drop_column("quality")
    op.drop_index("ix_framework_versions_fw", "framework_versions")
    op.drop_table("framework_versions")
