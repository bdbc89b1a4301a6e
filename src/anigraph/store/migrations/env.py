"""Alembic environment for anigraph: uses the connection handed over by ``anigraph.store.engine``.

When run from the ``alembic`` command line instead, it connects to ``sqlalchemy.url`` from the
ini file or, failing that, ``anigraph.settings.database_url()``.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from anigraph.settings import database_url
from anigraph.store.tables import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from anigraph.store.engine import make_engine

    engine = make_engine(config.get_main_option("sqlalchemy.url") or database_url())
    with engine.begin() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    context.configure(
        url=config.get_main_option("sqlalchemy.url") or database_url(), target_metadata=target_metadata
    )
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
