"""One open transaction lent to code written against an Engine, so a long job commits or rolls back as one.

The pipeline opens ``engine.connect()`` / ``engine.begin()`` per batch; ``dengar reprocess`` must
instead run it inside the transaction that reset the derived tables, so a crash half-way leaves
the old tickets (and everything operators did to them) in place.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol

from sqlalchemy import Connection


class Database(Protocol):
    """What the processing code needs of an Engine: a connection to read, a transaction to write."""

    def connect(self) -> AbstractContextManager[Connection]: ...

    def begin(self) -> AbstractContextManager[Connection]: ...


class OneTransaction:
    """Hands out the same connection for every ``connect()`` and ``begin()``; the owner commits once."""

    def __init__(self, connection: Connection) -> None:
        if not connection.in_transaction():
            raise ValueError("OneTransaction needs a connection inside an open transaction")
        self.connection = connection

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        yield self.connection

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        # No savepoint: any failure propagates to the owner, which rolls the whole job back.
        yield self.connection
