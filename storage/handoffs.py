"""Requests from job seekers to talk to a person."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Handoff


def request_handoff(session: Session, openid: str) -> bool:
    """Open a handoff for this user unless one is already waiting. True when a new one opened."""
    waiting = session.execute(
        select(Handoff).where(Handoff.openid == openid, Handoff.status == "waiting")
    ).scalar_one_or_none()
    if waiting is not None:
        return False
    session.add(Handoff(openid=openid, status="waiting"))
    return True


def waiting_handoffs(session: Session) -> list[Handoff]:
    return list(
        session.execute(
            select(Handoff).where(Handoff.status == "waiting").order_by(Handoff.requested_at)
        ).scalars()
    )
