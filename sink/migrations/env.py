"""Alembic environment: runs on the connection the caller hands over (see sink.database.upgrade)."""

from alembic import context

from sink.models import Base
from sink.text_search import is_search_object

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `dengar db upgrade` (sink.database.upgrade)")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
    compare_type=True,
    # the text-search index is built by hand (FTS5 / pg_trgm); the declared models do not describe it
    include_name=lambda name, type_, parent_names: not is_search_object(name),
)
with context.begin_transaction():
    context.run_migrations()
