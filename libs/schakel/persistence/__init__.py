"""One database per service: SQLAlchemy 2 async on SQLite (embedded default) or PostgreSQL."""

from schakel.persistence.database import Database, PersistenceError, after_commit, is_unavailable, savepoint_actions
from schakel.persistence.migrate import migrate

__all__ = ["Database", "PersistenceError", "after_commit", "is_unavailable", "migrate", "savepoint_actions"]
