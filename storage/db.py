"""Engine and session factory for the configured database.

SQLite (the local default) gets WAL mode and a busy timeout, because the web app, the worker,
the action server and Rasa's tracker store all write to the same file.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker


@cache
def engine_for(database_url: str) -> Engine:
    """One engine per URL per process."""
    if database_url.startswith("sqlite"):
        engine = create_engine(
            database_url, future=True, connect_args={"timeout": 30, "check_same_thread": False}
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    return create_engine(database_url, future=True, pool_pre_ping=True, pool_size=10)


@cache
def _session_factory(database_url: str) -> sessionmaker:
    return sessionmaker(bind=engine_for(database_url), future=True, expire_on_commit=False)


@contextmanager
def session_scope(database_url: str) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    session: Session = _session_factory(database_url)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def ping(database_url: str) -> None:
    """Raise if the database does not answer a trivial query."""
    with engine_for(database_url).connect() as connection:
        connection.execute(text("SELECT 1"))


def refresh_statistics(session: Session, *tables: str) -> None:
    """Have PostgreSQL re-read the tables' statistics after a bulk change (an import, a review
    of thousands), so the planner does not plan for the tables as they were; autovacuum would,
    but up to a minute later. Elsewhere nothing to do."""
    if session.get_bind().dialect.name == "postgresql":
        for table in tables:
            session.execute(text(f"ANALYZE {table}"))
