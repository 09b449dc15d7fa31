"""Alembic environment: always run from :func:`planmon.store.db.upgrade` with a live connection."""

from alembic import context

from planmon.store.tables import metadata

config = context.config
connection = config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
