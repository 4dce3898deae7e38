"""Tables owned by our code. Rasa's tracker store keeps its own `events` table beside them."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Boolean, Column, DateTime, Float, Integer, String
from sqlalchemy.orm import declarative_base

Base: Any = declarative_base()


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Follower(Base):
    """A WeChat user of the official account, keyed by openid."""

    __tablename__ = "followers"

    openid = Column(String(64), primary_key=True)
    followed = Column(Boolean, nullable=False, default=True)
    followed_at = Column(DateTime(timezone=True))
    unfollowed_at = Column(DateTime(timezone=True))
    last_message_at = Column(DateTime(timezone=True))
    latitude = Column(Float)
    longitude = Column(Float)
    place_label = Column(String(255))
    located_at = Column(DateTime(timezone=True))


class Handoff(Base):
    """A request by a job seeker to talk to a person; staff pick it up in the console."""

    __tablename__ = "handoffs"

    id = Column(Integer, primary_key=True)
    openid = Column(String(64), nullable=False, index=True)
    status = Column(String(16), nullable=False, default="waiting")
    requested_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    closed_at = Column(DateTime(timezone=True))
