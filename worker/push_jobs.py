"""RQ jobs that push new postings to subscribers (see ``jobs.pushes`` for the rules).

- ``sweep_postings`` runs every PUSH_SWEEP_SECONDS: it matches each newly visible posting to the
  subscriptions (``fan_out_posting``), re-queues deliveries whose job was lost, and sends the
  notices of registration decisions (``worker.registration_jobs.notify_decisions``).
- ``deliver_pushes`` sends a batch of pushes, each at most once.
- ``show_held_pushes`` sends a user the postings held for them, after they wrote to us.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from datetime import timedelta

import requests
from rq import Retry
from sqlalchemy.orm import Session
from wechatpy.exceptions import WeChatClientException

from jobs.contacts import fill_contacts
from jobs.listing import digest_text
from jobs.postings import is_visible
from jobs.pushes import (
    CUSTOM,
    TEMPLATE,
    DailyLimit,
    channel_for,
    claim,
    deliverable,
    drop_invisible_held,
    held_flag,
    held_postings,
    newly_visible,
    plan_pushes,
    push_text,
    queued_push_ids,
    set_state,
    stale_queued,
    template_data,
)
from jobs.subscriptions import drop_unsent_pushes
from registration.personal import UNFINISHED_KEPT, forget_stale_values
from runtime import Runtime, worker_runtime
from settings import today
from storage.db import session_scope
from storage.followers import record_unfollow
from storage.models import DROPPED, HELD, QUEUED, SENT, SHOWN, JobPush, Posting, utcnow
from wechat_api.customer_service import send_text
from wechat_api.errors import OutsideServiceWindow, UserUnfollowed, WeChatSendError
from wechat_api.template import send_template
from worker.registration_jobs import notify_decisions

logger = logging.getLogger(__name__)

SWEEP_JOB = "worker.push_jobs.sweep_postings"
FAN_OUT_JOB = "worker.push_jobs.fan_out_posting"
DELIVER_JOB = "worker.push_jobs.deliver_pushes"
SHOW_HELD_JOB = "worker.push_jobs.show_held_pushes"
BATCH_SIZE = 500
DELIVER_RETRY = Retry(max=5, interval=[10, 30, 60, 300, 900])
# A queued push older than this whose delivery job is gone (a worker died) is queued again.
STALE_AFTER = timedelta(minutes=10)
SWEEP_KEY = "push:sweep:scheduled"
# WeChat or the network failing for a moment: the push waits for the job's retry.
TRANSIENT = (WeChatSendError, WeChatClientException, requests.RequestException)


def enqueue_deliveries(runtime: Runtime, push_ids: Sequence[int]) -> int:
    for start in range(0, len(push_ids), BATCH_SIZE):
        runtime.queue.enqueue(
            DELIVER_JOB, list(push_ids[start : start + BATCH_SIZE]), retry=DELIVER_RETRY
        )
    return len(push_ids)


def fan_out_posting(posting_id: int) -> str:
    """Queue a visible posting for its subscribers, then their deliveries (safe to repeat)."""
    runtime = worker_runtime()
    with session_scope(runtime.settings.database_url) as session:
        posting = session.get(Posting, posting_id)
        if posting is None:
            return "no such posting"
        added = 0
        if posting.pushed_at is None and is_visible(session, posting_id, today()):
            added = plan_pushes(session, posting, utcnow())
    with session_scope(runtime.settings.database_url) as session:
        queued = enqueue_deliveries(runtime, queued_push_ids(session, posting_id))
    return f"{added} planned, {queued} queued"


def deliver_pushes(push_ids: list[int]) -> str:
    """Send each push of the batch once. A failure WeChat may recover from puts that push back
    in the queue and fails the job, which RQ retries; pushes done meanwhile are skipped."""
    runtime = worker_runtime()
    limit = DailyLimit(runtime.redis, runtime.settings.push_daily_limit)
    outcomes: Counter[str] = Counter()
    failure: Exception | None = None
    for push_id in push_ids:
        try:
            outcomes[deliver_push(runtime, limit, push_id)] += 1
        except TRANSIENT as error:
            failure = error
            outcomes["retry"] += 1
    if failure is not None:
        raise failure
    return ", ".join(f"{count} {outcome}" for outcome, count in sorted(outcomes.items()))


def deliver_push(runtime: Runtime, limit: DailyLimit, push_id: int) -> str:
    settings = runtime.settings
    template_id = settings.job_template_id
    day, now = today(), utcnow()
    with session_scope(settings.database_url) as session:
        if not claim(session, push_id):
            return "skipped"
        push = session.get(JobPush, push_id)
        openid = push.openid
        target = deliverable(session, push, day)
        if target is None:
            set_state(session, [push_id], DROPPED)
            return "dropped"
        posting, follower = target
        channel = channel_for(follower, template_id, now)
        if not channel or not limit.take(openid, day):
            return _settle(runtime, session, [push_id], HELD, openid)
        if channel == TEMPLATE:
            data = template_data(posting)
            remark = data["remark"]["value"]
            data["remark"]["value"] = fill_contacts(session, remark, settings.data_key, day)
        else:
            text = fill_contacts(session, push_text(posting), settings.data_key, day)
    # The claim is committed: from here a crash leaves the push "sending", never sent twice.
    try:
        if channel == TEMPLATE:
            send_template(runtime.wechat, openid, template_id, data)
        else:
            send_text(runtime.wechat, openid, text)
    except WeChatSendError as error:
        limit.give_back(openid, day)
        return _after_refusal(runtime, error, [push_id], openid, QUEUED)
    except TRANSIENT:
        limit.give_back(openid, day)
        _settle_later(runtime, [push_id], QUEUED, openid)
        raise
    _settle_later(runtime, [push_id], SENT, openid, channel)
    return f"sent by {channel}"


def _settle(
    runtime: Runtime, session: Session, ids: list[int], state: str, openid: str, channel: str = ""
) -> str:
    """Give the pushes ``state``; a held push flags the user for their next message."""
    set_state(session, ids, state, channel)
    if state == HELD:
        runtime.redis.set(held_flag(openid), "1")
    return state


def _settle_later(
    runtime: Runtime, ids: list[int], state: str, openid: str, channel: str = ""
) -> str:
    with session_scope(runtime.settings.database_url) as session:
        return _settle(runtime, session, ids, state, openid, channel)


def _after_refusal(
    runtime: Runtime, error: WeChatSendError, ids: list[int], openid: str, retry_state: str
) -> str:
    """What WeChat's refusal of a send means for its pushes: 45015 holds them; 43004 (the user
    left) drops them and everything else unsent to the user; any other code is raised for RQ's
    retry, the pushes back in ``retry_state``."""
    if isinstance(error, OutsideServiceWindow):
        return _settle_later(runtime, ids, HELD, openid)
    if isinstance(error, UserUnfollowed):
        with session_scope(runtime.settings.database_url) as session:
            record_unfollow(session, openid)
            set_state(session, ids, DROPPED)
            drop_unsent_pushes(session, openid)
        runtime.redis.delete(held_flag(openid))
        return "unfollowed"
    _settle_later(runtime, ids, retry_state, openid)
    raise error


def show_held_pushes(openid: str) -> str:
    """The user just wrote: send the postings held for them in one customer-service message."""
    runtime = worker_runtime()
    settings = runtime.settings
    day = today()
    with session_scope(settings.database_url) as session:
        drop_invisible_held(session, openid, day)
        held, more = held_postings(session, openid, day)
        taken = [(push_id, posting) for push_id, posting in held if claim(session, push_id, HELD)]
        if not taken:
            if not more:
                runtime.redis.delete(held_flag(openid))
            return "nothing held"
        ids = [push_id for push_id, _ in taken]
        text = fill_contacts(
            session, digest_text([posting for _, posting in taken], more), settings.data_key, day
        )
    try:
        send_text(runtime.wechat, openid, text)
    except WeChatSendError as error:
        outcome = _after_refusal(runtime, error, ids, openid, HELD)
        return "outside the window: still held" if outcome == HELD else outcome
    except TRANSIENT:
        _settle_later(runtime, ids, HELD, openid)
        raise
    _settle_later(runtime, ids, SHOWN, openid, CUSTOM)
    if not more:
        runtime.redis.delete(held_flag(openid))
    return f"{len(ids)} shown, {more} still held"


def sweep_postings() -> str:
    """Fan out newly visible postings, re-queue lost deliveries and tell users of decisions on
    their registrations (``worker.registration_jobs``), delete the personal values of
    registrations left unfinished for a week; then run again later."""
    runtime = worker_runtime()
    try:
        with session_scope(runtime.settings.database_url) as session:
            new_ids = [posting.id for posting in newly_visible(session, today())]
        for posting_id in new_ids:
            fan_out_posting(posting_id)
        with session_scope(runtime.settings.database_url) as session:
            stale = stale_queued(session, utcnow() - STALE_AFTER)
        enqueue_deliveries(runtime, stale)
        notices = notify_decisions()
        with session_scope(runtime.settings.database_url) as session:
            forgotten = forget_stale_values(session, utcnow() - UNFINISHED_KEPT)
    finally:
        schedule_sweep(runtime, after=runtime.settings.push_sweep_seconds, force=True)
    return (
        f"{len(new_ids)} postings fanned out, {len(stale)} stale pushes queued again; "
        f"registration decisions: {notices}; {forgotten} unfinished personal values deleted"
    )


def schedule_sweep(runtime: Runtime, after: float = 0.0, force: bool = False) -> bool:
    """Keep one sweep chain going: a worker starting up begins one unless one is scheduled."""
    hold = int(max(60.0, 4 * runtime.settings.push_sweep_seconds))
    if not runtime.redis.set(SWEEP_KEY, "1", ex=hold, nx=not force):
        return False
    if after > 0:
        runtime.queue.enqueue_in(timedelta(seconds=after), SWEEP_JOB)
    else:
        runtime.queue.enqueue(SWEEP_JOB)
    return True
