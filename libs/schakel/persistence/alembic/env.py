"""Shared Alembic environment: migrate.py hands in an open connection inside a transaction."""

from alembic import context

context.configure(connection=context.config.attributes["connection"], render_as_batch=True)
context.run_migrations()
