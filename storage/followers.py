"""What we remember about each follower: following state, last message, shared place."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import Follower, utcnow


@dataclass(frozen=True)
class Place:
    latitude: float
    longitude: float
    label: str


# INSERT … ON CONFLICT DO NOTHING for the databases we run on.
_INSERT_IF_MISSING = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def _get_or_create(session: Session, openid: str) -> Follower:
    """The follower's row, created if missing.

    Two requests for a new user can race (a retried subscribe, or a subscribe and a location
    report at once); a plain check-then-add would fail one of them on the primary key.
    """
    insert = _INSERT_IF_MISSING.get(session.get_bind().dialect.name)
    if insert is not None:
        session.execute(
            insert(Follower)
            .values(openid=openid, followed=True)
            .on_conflict_do_nothing(index_elements=["openid"])
        )
    follower = session.get(Follower, openid)
    if follower is None:
        follower = Follower(openid=openid, followed=True)
        session.add(follower)
    return follower


def record_follow(session: Session, openid: str) -> None:
    follower = _get_or_create(session, openid)
    follower.followed = True
    follower.followed_at = utcnow()


def record_unfollow(session: Session, openid: str) -> None:
    follower = _get_or_create(session, openid)
    follower.followed = False
    follower.unfollowed_at = utcnow()


def record_message(session: Session, openid: str) -> None:
    """When the user last wrote (it opens WeChat's customer-service window).

    Following state is left to follow/unfollow events: this write can land after an unfollow.
    """
    follower = _get_or_create(session, openid)
    follower.last_message_at = utcnow()


def record_place(session: Session, openid: str, place: Place) -> None:
    follower = _get_or_create(session, openid)
    follower.latitude = place.latitude
    follower.longitude = place.longitude
    follower.place_label = place.label[:255]
    follower.located_at = utcnow()


def is_following(session: Session, openid: str) -> bool:
    follower = session.get(Follower, openid)
    return follower is None or bool(follower.followed)


def place_of(session: Session, openid: str) -> Place | None:
    follower = session.get(Follower, openid)
    if follower is None or follower.latitude is None or follower.longitude is None:
        return None
    return Place(follower.latitude, follower.longitude, follower.place_label or "")
