"""Console accounts: operators with argon2 password hashes, server-side sessions, login attempts.

Sessions live in the database (only a hash of the cookie value), so a console process started
beside the daemon, or several of them, agree on who is signed in and signing out is immediate.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, delete, func, select, update

from sink.models import AuditRow, ConsoleSessionRow, LoginAttemptRow, OperatorRow

ROLES = ("admin", "operator", "social", "viewer")
OPERATORS = OperatorRow.__table__
SESSIONS = ConsoleSessionRow.__table__
ATTEMPTS = LoginAttemptRow.__table__
AUDIT = AuditRow.__table__
MAX_PASSWORD_LENGTH = 1024  # argon2 hashes anything, but an attacker should not make us hash megabytes


class AccountError(Exception):
    """The account cannot be created or changed as asked; the message says why."""


@dataclass(frozen=True)
class Operator:
    id: int
    username: str
    role: str


@dataclass(frozen=True)
class Session:
    operator: Operator
    csrf_token: str
    expires_at: datetime


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_operator(connection: Connection, username: str, password: str, role: str, actor: str = "cli",
                    hasher: PasswordHasher | None = None) -> int:
    """A new account; usernames are case-insensitive and stored lower-case."""
    username = username.strip().lower()
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
    if not username or len(username) > 100 or not all(c.isalnum() or c in "._-@" for c in username):
        raise AccountError("a username is 1-100 letters, digits or . _ - @")
    _check_password(password)
    if connection.execute(select(OPERATORS.c.id).where(OPERATORS.c.username == username)).first():
        raise AccountError(f"user {username!r} already exists")
    now = _now()
    password_hash = (hasher or PasswordHasher()).hash(password)
    operator_id = connection.execute(
        OPERATORS.insert().values(username=username, password_hash=password_hash, role=role, created_at=now, disabled=False)
        .returning(OPERATORS.c.id)
    ).scalar_one()
    connection.execute(AUDIT.insert().values(at=now, actor=actor, action="user_add", entity="operator", entity_id=username,
                                             before=None, after={"username": username, "role": role}))
    return operator_id


def _check_password(password: str) -> None:
    if len(password) < 10:
        raise AccountError("the password is too short: use at least 10 characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(f"the password is too long (at most {MAX_PASSWORD_LENGTH} characters)")


def verify_password(connection: Connection, username: str, password: str, hasher: PasswordHasher | None = None) -> Operator | None:
    """The operator when the password is right and the account enabled, else None."""
    hasher = hasher or PasswordHasher()
    row = connection.execute(select(OPERATORS).where(OPERATORS.c.username == username.strip().lower())).first()
    if row is None or len(password) > MAX_PASSWORD_LENGTH:
        # Hash anyway so an unknown user takes as long as a wrong password.
        hasher.hash(password[:MAX_PASSWORD_LENGTH])
        return None
    try:
        hasher.verify(row.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if row.disabled:
        return None
    if hasher.check_needs_rehash(row.password_hash):
        connection.execute(update(OPERATORS).where(OPERATORS.c.id == row.id).values(password_hash=hasher.hash(password)))
    return Operator(row.id, row.username, row.role)


def start_session(connection: Connection, operator: Operator, lifetime: timedelta) -> tuple[str, Session]:
    """A fresh session; returns the cookie value (only its hash is stored) and the session."""
    token, csrf_token, now = secrets.token_urlsafe(32), secrets.token_urlsafe(32), _now()
    connection.execute(delete(SESSIONS).where(SESSIONS.c.expires_at < now))
    connection.execute(SESSIONS.insert().values(token_hash=_token_hash(token), operator_id=operator.id, csrf_token=csrf_token,
                                                created_at=now, expires_at=now + lifetime))
    return token, Session(operator, csrf_token, now + lifetime)


def find_session(connection: Connection, token: str) -> Session | None:
    """The live session for a cookie value; None when unknown, expired or its account disabled."""
    if not token or len(token) > 100:
        return None
    row = connection.execute(
        select(SESSIONS.c.csrf_token, SESSIONS.c.expires_at, OPERATORS.c.id, OPERATORS.c.username, OPERATORS.c.role, OPERATORS.c.disabled)
        .join(OPERATORS, OPERATORS.c.id == SESSIONS.c.operator_id)
        .where(SESSIONS.c.token_hash == _token_hash(token))
    ).first()
    if row is None or row.disabled or row.expires_at <= _now():
        return None
    return Session(Operator(row.id, row.username, row.role), row.csrf_token, row.expires_at)


def end_session(connection: Connection, token: str) -> None:
    connection.execute(delete(SESSIONS).where(SESSIONS.c.token_hash == _token_hash(token)))


def record_login_attempt(connection: Connection, username: str, address: str, succeeded: bool) -> None:
    connection.execute(ATTEMPTS.insert().values(username=username.strip().lower()[:100], address=address[:64], at=_now(),
                                                succeeded=succeeded))


def recent_failures(connection: Connection, username: str, address: str, window: timedelta) -> tuple[int, int]:
    """Failed logins within ``window``: (for this username, from this address)."""
    since = _now() - window
    failed = ATTEMPTS.c.succeeded.is_(False) & (ATTEMPTS.c.at >= since)
    by_user = connection.execute(select(func.count()).where(failed, ATTEMPTS.c.username == username.strip().lower()[:100])).scalar_one()
    by_address = connection.execute(select(func.count()).where(failed, ATTEMPTS.c.address == address[:64])).scalar_one()
    return by_user, by_address


@dataclass(frozen=True)
class Account:
    """One row of the accounts page."""

    id: int
    username: str
    role: str
    disabled: bool
    created_at: datetime
    last_login: datetime | None


def list_accounts(connection: Connection) -> list[Account]:
    """Every account, by name, with its last successful login (from the login attempts kept for throttling)."""
    last_login = (select(ATTEMPTS.c.username, func.max(ATTEMPTS.c.at).label("at"))
                  .where(ATTEMPTS.c.succeeded.is_(True)).group_by(ATTEMPTS.c.username).subquery())
    rows = connection.execute(
        select(OPERATORS.c.id, OPERATORS.c.username, OPERATORS.c.role, OPERATORS.c.disabled, OPERATORS.c.created_at,
               last_login.c.at)
        .outerjoin(last_login, last_login.c.username == OPERATORS.c.username).order_by(OPERATORS.c.username)).all()
    return [Account(r.id, r.username, r.role, bool(r.disabled), r.created_at, r.at) for r in rows]


def _account(connection: Connection, operator_id: int):  # type: ignore[no-untyped-def]
    row = connection.execute(select(OPERATORS).where(OPERATORS.c.id == operator_id)).first()
    if row is None:
        raise AccountError(f"account {operator_id} does not exist")
    return row


def _keep_an_admin(connection: Connection, row) -> None:  # type: ignore[no-untyped-def]
    """Refuse a change that would leave the console without an active admin (nobody could manage accounts)."""
    if row.role != "admin" or row.disabled:
        return
    others = connection.execute(select(func.count()).select_from(OPERATORS).where(
        OPERATORS.c.role == "admin", OPERATORS.c.disabled.is_(False), OPERATORS.c.id != row.id)).scalar_one()
    if not others:
        raise AccountError(f"{row.username} is the last active admin: make another admin first")


def _record(connection: Connection, actor: str, action: str, username: str, before: dict, after: dict) -> None:
    connection.execute(AUDIT.insert().values(at=_now(), actor=actor, action=action, entity="operator", entity_id=username,
                                             before=before, after=after))


def _end_sessions(connection: Connection, operator_id: int) -> None:
    connection.execute(delete(SESSIONS).where(SESSIONS.c.operator_id == operator_id))


def set_role(connection: Connection, operator_id: int, role: str, actor: str) -> None:
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
    row = _account(connection, operator_id)
    if row.role == role:
        raise AccountError(f"{row.username} already has the role {role}")
    if role != "admin":
        _keep_an_admin(connection, row)
    connection.execute(update(OPERATORS).where(OPERATORS.c.id == operator_id).values(role=role))
    _record(connection, actor, "user_role", row.username, {"role": row.role}, {"role": role})


def set_disabled(connection: Connection, operator_id: int, disabled: bool, actor: str) -> None:
    """Disable (signs the account out at once) or enable an account; nothing is deleted, the audit log keeps its name."""
    row = _account(connection, operator_id)
    if bool(row.disabled) == disabled:
        raise AccountError(f"{row.username} is already {'disabled' if disabled else 'enabled'}")
    if disabled:
        _keep_an_admin(connection, row)
        _end_sessions(connection, operator_id)
    connection.execute(update(OPERATORS).where(OPERATORS.c.id == operator_id).values(disabled=disabled))
    _record(connection, actor, "user_disable" if disabled else "user_enable", row.username,
            {"disabled": bool(row.disabled)}, {"disabled": disabled})


def set_password(connection: Connection, operator_id: int, password: str, actor: str, hasher: PasswordHasher | None = None) -> None:
    """A new password, and the account's open sessions end; the audit log says it changed, never what to."""
    _check_password(password)
    row = _account(connection, operator_id)
    connection.execute(update(OPERATORS).where(OPERATORS.c.id == operator_id)
                       .values(password_hash=(hasher or PasswordHasher()).hash(password)))
    _end_sessions(connection, operator_id)
    _record(connection, actor, "user_password", row.username, {"password": "old"}, {"password": "new"})
