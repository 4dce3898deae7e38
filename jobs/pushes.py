"""Pushing a newly visible posting to the subscribers it matches, each of them once.

1. ``plan_pushes``: one SQL statement adds a ``job_pushes`` row (queued) for every user with a
   matching subscription who still follows the account. The row's (openid, posting) key is
   unique, so planning twice adds nothing.
2. ``deliver_push``: a push is claimed (queued → sending, committed) before WeChat is called, and
   marked sent after. A worker that crashes and retries finds it no longer queued and does not
   send it again. (WeChat's send has no idempotency key: a push whose worker died during the
   call stays "sending" rather than risk a second copy.)
   - a template message when a template id is configured;
   - else a customer-service message while the user's 48-hour window is open;
   - else, or past the user's daily limit, or on 45015 (window closed), it is held, and the held
     postings are shown the next time the user writes (``take_held``: "您有 3 条新岗位");
   - 43004 (unfollowed) marks the user unfollowed and drops their pushes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from redis import Redis
from sqlalchemy import and_, literal, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from jobs.contacts import contact_placeholder
from jobs.listing import pay, posting_text, where
from jobs.postings import visible_on
from jobs.subscriptions import matching_posting
from storage.models import (
    DROPPED,
    HELD,
    QUEUED,
    SENDING,
    SENT,
    SHOWN,
    Employer,
    Follower,
    JobPush,
    Posting,
    Subscription,
    utcnow,
)

SERVICE_WINDOW = timedelta(hours=48)
TEMPLATE = "template"
CUSTOM = "custom"
# A held push shown on the user's next message: at most this many in one message.
DIGEST_SIZE = 5

_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


class DailyLimit:
    """How many pushes each user has had today, shared by every worker (Redis counters)."""

    def __init__(self, redis: Redis, limit: int, prefix: str = "push:daily") -> None:
        self.redis, self.limit, self.prefix = redis, limit, prefix

    def _key(self, openid: str, day: date) -> str:
        return f"{self.prefix}:{day.isoformat()}:{openid}"

    def take(self, openid: str, day: date) -> bool:
        key = self._key(openid, day)
        count = int(self.redis.incr(key))
        if count == 1:
            self.redis.expire(key, 2 * 24 * 3600)
        if count > self.limit:
            self.redis.decr(key)
            return False
        return True

    def give_back(self, openid: str, day: date) -> None:
        self.redis.decr(self._key(openid, day))


def held_flag(openid: str) -> str:
    """Set while a user has held pushes, so their next message need not ask the database."""
    return f"push:held:{openid}"


def plan_pushes(session: Session, posting: Posting, now: datetime) -> int:
    """Queue ``posting`` for every follower whose subscription it matches; how many were new."""
    insert = _INSERT[session.get_bind().dialect.name]
    still_following = or_(Follower.openid.is_(None), Follower.followed.is_(True))
    audience = (
        select(
            Subscription.openid,
            literal(posting.id),
            literal(QUEUED),
            literal(now, type_=JobPush.created_at.type),
        )
        .outerjoin(Follower, Follower.openid == Subscription.openid)
        .where(matching_posting(posting), still_following)
        .distinct()
    )
    statement = (
        insert(JobPush)
        .from_select(["openid", "posting_id", "state", "created_at"], audience)
        .on_conflict_do_nothing(index_elements=["openid", "posting_id"])
    )
    added = session.execute(statement).rowcount
    posting.pushed_at = now
    return int(added or 0)


def queued_push_ids(session: Session, posting_id: int) -> list[int]:
    query = (
        select(JobPush.id)
        .where(JobPush.posting_id == posting_id, JobPush.state == QUEUED)
        .order_by(JobPush.id)
    )
    return list(session.execute(query).scalars())


def newly_visible(session: Session, today: date, limit: int = 100) -> list[Posting]:
    """Visible postings not matched to subscriptions yet, oldest approval first."""
    query = (
        select(Posting)
        .join(Posting.employer)
        .where(visible_on(today), Posting.pushed_at.is_(None))
        .order_by(Posting.id)
        .limit(limit)
    )
    return list(session.execute(query).unique().scalars())


def stale_queued(session: Session, before: datetime, limit: int = 10_000) -> list[int]:
    """Pushes queued before ``before`` and still waiting: their delivery job was lost."""
    query = (
        select(JobPush.id)
        .where(JobPush.state == QUEUED, JobPush.created_at < before)
        .order_by(JobPush.id)
        .limit(limit)
    )
    return list(session.execute(query).scalars())


def claim(session: Session, push_id: int, from_state: str = QUEUED) -> bool:
    """Take a push for sending; False when another worker has it or it is done."""
    taken = session.execute(
        update(JobPush)
        .where(JobPush.id == push_id, JobPush.state == from_state)
        .values(state=SENDING)
        .execution_options(synchronize_session=False)
    ).rowcount
    return bool(taken)


def set_state(session: Session, push_ids: Sequence[int], state: str, channel: str = "") -> None:
    values: dict[str, object] = {"state": state}
    if state in (SENT, SHOWN):
        values.update(sent_at=utcnow(), channel=channel or None)
    session.execute(
        update(JobPush)
        .where(JobPush.id.in_(push_ids))
        .values(**values)
        .execution_options(synchronize_session=False)
    )


def deliverable(
    session: Session, push: JobPush, today: date
) -> tuple[Posting, Follower | None] | None:
    """The posting and follower of a push that is still wanted: the posting is visible, the user
    still follows and still has a subscription. None when it is not."""
    posting = session.execute(
        select(Posting)
        .join(Posting.employer)
        .where(Posting.id == push.posting_id, visible_on(today))
    ).scalar()
    follower = session.get(Follower, push.openid)
    subscribed = session.execute(
        select(Subscription.id).where(Subscription.openid == push.openid).limit(1)
    ).first()
    if posting is None or subscribed is None or (follower is not None and not follower.followed):
        return None
    return posting, follower


def channel_for(follower: Follower | None, template_id: str, now: datetime) -> str:
    """How a push can reach the user now: template, customer-service, or "" (hold it)."""
    if template_id:
        return TEMPLATE
    last = follower.last_message_at if follower is not None else None
    if last is not None:
        if last.tzinfo is None:  # SQLite gives naive datetimes back
            last = last.replace(tzinfo=now.tzinfo)
        if now - last < SERVICE_WINDOW:
            return CUSTOM
    return ""


def push_text(posting: Posting) -> str:
    return f"有新岗位符合您的订阅：\n\n{posting_text(posting)}\n\n回复“退订”可停止推送。"


def template_data(posting: Posting) -> dict[str, dict[str, str]]:
    """The fields of the "新岗位通知" template (see the README for its layout)."""
    return {
        "first": {"value": "有新岗位符合您的订阅"},
        "keyword1": {"value": posting.title},
        "keyword2": {"value": posting.employer.name},
        "keyword3": {"value": where(posting)},
        "keyword4": {"value": pay(posting)},
        "remark": {"value": f"联系：{contact_placeholder(posting.id)}。回复“退订”可停止推送。"},
    }


def held_postings(
    session: Session, openid: str, today: date
) -> tuple[list[tuple[int, Posting]], int]:
    """Up to ``DIGEST_SIZE`` held pushes of visible postings (push id, posting), oldest first,
    and how many more are held."""
    query = (
        select(JobPush.id, Posting)
        .join(Posting, Posting.id == JobPush.posting_id)
        .join(Employer, Employer.id == Posting.employer_id)
        .where(JobPush.openid == openid, JobPush.state == HELD, visible_on(today))
        .order_by(JobPush.id)
    )
    rows = [(push_id, posting) for push_id, posting in session.execute(query).unique()]
    return rows[:DIGEST_SIZE], max(0, len(rows) - DIGEST_SIZE)


def drop_invisible_held(session: Session, openid: str, today: date) -> None:
    """Held pushes whose posting is no longer visible are dropped, not shown."""
    visible_ids = select(Posting.id).join(Posting.employer).where(visible_on(today))
    session.execute(
        update(JobPush)
        .where(
            and_(JobPush.openid == openid, JobPush.state == HELD),
            JobPush.posting_id.not_in(visible_ids),
        )
        .values(state=DROPPED)
        .execution_options(synchronize_session=False)
    )
