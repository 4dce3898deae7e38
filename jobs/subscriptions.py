"""Job seekers' subscriptions: standing searches whose new matches are pushed to them."""

from __future__ import annotations

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from jobs import occupations
from jobs.criteria import GROUP_SUITS, SearchCriteria
from storage.models import DROPPED, HELD, QUEUED, JobPush, Posting, Subscription

# A user keeps at most this many; the oldest goes when a new one would pass it.
MAX_PER_USER = 5


def subscribe(session: Session, openid: str, criteria: SearchCriteria) -> bool:
    """Keep ``criteria`` for ``openid``; False when the same criteria are kept already."""
    key = criteria.key()
    existing = session.execute(
        select(Subscription.id).where(
            Subscription.openid == openid, Subscription.criteria_key == key
        )
    ).first()
    if existing is not None:
        return False
    kept = subscriptions_of(session, openid)
    for oldest in kept[: max(0, len(kept) - MAX_PER_USER + 1)]:
        session.delete(oldest)
    session.add(
        Subscription(
            openid=openid,
            city=criteria.city,
            occupation=criteria.occupation,
            salary_floor=criteria.salary_floor,
            part_time=criteria.part_time,
            suits=criteria.suits,
            criteria_key=key,
        )
    )
    session.flush()
    return True


def unsubscribe(session: Session, openid: str) -> int:
    """Drop every subscription of ``openid`` and every push not yet sent; how many were kept."""
    removed = session.execute(delete(Subscription).where(Subscription.openid == openid)).rowcount
    drop_unsent_pushes(session, openid)
    return int(removed or 0)


def drop_unsent_pushes(session: Session, openid: str) -> None:
    """Nothing queued or held goes to the user any more (they unsubscribed or unfollowed)."""
    session.execute(
        update(JobPush)
        .where(JobPush.openid == openid, JobPush.state.in_((QUEUED, HELD)))
        .values(state=DROPPED)
        .execution_options(synchronize_session=False)
    )


def subscriptions_of(session: Session, openid: str) -> list[Subscription]:
    query = select(Subscription).where(Subscription.openid == openid).order_by(Subscription.id)
    return list(session.execute(query).scalars())


def criteria_of(subscription: Subscription) -> SearchCriteria:
    return SearchCriteria(
        city=subscription.city,
        occupation=subscription.occupation,
        salary_floor=subscription.salary_floor,
        part_time=subscription.part_time,
        suits=subscription.suits,
    )


def groups_suited(suits: str) -> set[str]:
    """The groups (as subscriptions name them) that a posting's 适合人群 covers."""
    named = {word for word in suits.split("、") if word}
    return {group for group, words in GROUP_SUITS.items() if named & set(words)}


def matching_posting(posting: Posting) -> ColumnElement:
    """The condition a subscription meets when ``posting`` is one of its matches."""

    def any_or(column: ColumnElement, condition: ColumnElement) -> ColumnElement:
        return or_(column.is_(None), condition)

    return and_(
        any_or(Subscription.city, Subscription.city == posting.city),
        any_or(
            Subscription.occupation,
            Subscription.occupation.in_(sorted(occupations.occupations_of(posting.title))),
        ),
        any_or(Subscription.salary_floor, Subscription.salary_floor <= posting.salary_max),
        any_or(Subscription.part_time, Subscription.part_time.is_(bool(posting.part_time))),
        any_or(Subscription.suits, Subscription.suits.in_(sorted(groups_suited(posting.suits)))),
    )
