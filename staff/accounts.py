"""Staff accounts and what each role may do.

A member of staff proves who they are with an API token (``Authorization: Bearer …``). The token
is shown once, when the account is made or the token renewed; only its SHA-256 is kept, which is
enough for a random 32-byte token.
"""

from __future__ import annotations

import hashlib
import secrets
from enum import Enum

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import StaffMember


class Permission(str, Enum):
    POSTINGS = "postings"  # import postings, review postings and employers
    REGISTRATIONS = "registrations"  # list, review and export registrations, record services
    PERSONAL_DATA = "personal_data"  # open a registrant's name, ID number and phone in clear


ROLES: dict[str, frozenset[Permission]] = {
    "postings_officer": frozenset({Permission.POSTINGS}),
    "registration_officer": frozenset({Permission.REGISTRATIONS}),
    "registration_supervisor": frozenset({Permission.REGISTRATIONS, Permission.PERSONAL_DATA}),
    "admin": frozenset(Permission),
}


class AccountError(ValueError):
    """An account cannot be made or changed as asked; the message says why."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def may(member: StaffMember, permission: Permission) -> bool:
    return member.active and permission in ROLES.get(member.role, frozenset())


def add_member(session: Session, username: str, role: str) -> tuple[StaffMember, str]:
    """A new account and its token (shown once)."""
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}; roles: {', '.join(ROLES)}")
    if not username or len(username) > 40:
        raise AccountError("a username has 1 to 40 characters")
    if member_named(session, username) is not None:
        raise AccountError(f"{username!r} exists already")
    token = secrets.token_urlsafe(32)
    member = StaffMember(username=username, role=role, token_hash=token_hash(token))
    session.add(member)
    session.flush()
    return member, token


def renew_token(session: Session, username: str) -> str:
    """A new token for ``username``; the old one stops working."""
    member = _named(session, username)
    token = secrets.token_urlsafe(32)
    member.token_hash = token_hash(token)
    return token


def set_active(session: Session, username: str, active: bool) -> None:
    _named(session, username).active = active


def member_with_token(session: Session, token: str) -> StaffMember | None:
    """The active member whose token this is, or None."""
    if not token:
        return None
    member = session.execute(
        select(StaffMember).filter_by(token_hash=token_hash(token))
    ).scalar_one_or_none()
    return member if member is not None and member.active else None


def members(session: Session) -> list[StaffMember]:
    return list(session.execute(select(StaffMember).order_by(StaffMember.username)).scalars())


def member_named(session: Session, username: str) -> StaffMember | None:
    query = select(StaffMember).filter_by(username=username)
    return session.execute(query).scalar_one_or_none()


def _named(session: Session, username: str) -> StaffMember:
    member = member_named(session, username)
    if member is None:
        raise AccountError(f"no staff member {username!r}")
    return member
