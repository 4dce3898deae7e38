"""Which postings job seekers may see, and staff's review of postings and employers.

A posting is shown once staff approved it and its employer, and until its last valid day.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, contains_eager
from sqlalchemy.sql import Select
from sqlalchemy.sql.elements import ColumnElement

from storage.db import refresh_statistics
from storage.models import APPROVED, PENDING, REJECTED, Employer, Posting, utcnow


def visible_on(today: date) -> ColumnElement:
    """The condition a posting joined to its employer meets while job seekers may see it."""
    return and_(
        Posting.state == APPROVED,
        Employer.state == APPROVED,
        Posting.valid_until >= today,
    )


def is_visible(session: Session, posting_id: int, today: date) -> bool:
    query = (
        select(Posting.id).join(Posting.employer).where(Posting.id == posting_id, visible_on(today))
    )
    return session.execute(query).first() is not None


def visible_postings(today: date) -> Select:
    """The postings job seekers may see on ``today``, newest first."""
    return (
        select(Posting)
        .join(Posting.employer)
        .options(contains_eager(Posting.employer))
        .where(visible_on(today))
        .order_by(Posting.created_at.desc(), Posting.id.desc())
    )


def pending_postings(session: Session) -> list[Posting]:
    """Postings waiting for review, oldest first."""
    query = select(Posting).where(Posting.state == PENDING).order_by(Posting.id)
    return list(session.execute(query).scalars())


def pending_employers(session: Session) -> list[Employer]:
    query = select(Employer).where(Employer.state == PENDING).order_by(Employer.id)
    return list(session.execute(query).scalars())


def review(
    session: Session, kind: type[Posting] | type[Employer], ids: Iterable[int], approve: bool
) -> list[int]:
    """Approve or reject the postings or employers ``ids``; the ids not found."""
    missing = []
    for item_id in ids:
        item = session.get(kind, item_id)
        if item is None:
            missing.append(item_id)
            continue
        item.state = APPROVED if approve else REJECTED
        item.reviewed_at = utcnow()
    session.flush()
    refresh_statistics(session, kind.__tablename__)
    return missing


def approve_all_pending(session: Session) -> None:
    """Approve every employer and posting waiting for review (sample data, demos and tests)."""
    review(session, Employer, [employer.id for employer in pending_employers(session)], True)
    review(session, Posting, [posting.id for posting in pending_postings(session)], True)
