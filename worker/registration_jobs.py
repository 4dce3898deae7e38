"""Telling users of staff decisions on their registrations (``registration.replies``).

``notify_decisions`` runs in every push sweep (``worker.push_jobs.sweep_postings``). A decision
goes out as a customer-service message, so only to a user who still follows the account and
wrote within WeChat's 48-hour window; the others are told by a later sweep, after they write.

Each notice is claimed (``decision_notified_at`` set, committed) before WeChat is called, so two
workers never send it twice; a refusal releases the claim. WeChat's send has no idempotency key:
a worker that dies during the call leaves the notice claimed rather than risk a second copy.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime

import requests
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from wechatpy.exceptions import WeChatClientException

from jobs.pushes import SERVICE_WINDOW
from registration.replies import decision_notice
from runtime import Runtime, worker_runtime
from storage.db import session_scope
from storage.followers import record_unfollow
from storage.models import REGISTRATION_PENDING, Follower, Registration, utcnow
from wechat_api.customer_service import send_text
from wechat_api.errors import OutsideServiceWindow, UserUnfollowed, WeChatSendError

logger = logging.getLogger(__name__)

# Notices sent in one sweep; more wait for the next.
BATCH_SIZE = 200
# WeChat or the network failing for a moment: the notice waits for a later sweep.
TRANSIENT = (WeChatSendError, WeChatClientException, requests.RequestException)


def due_notices(session: Session, now: datetime, limit: int = BATCH_SIZE) -> list[int]:
    """Registrations whose last decision the user has not been told of and who can be told now
    (still following, wrote within the window), oldest decision first."""
    query = (
        select(Registration.id)
        .join(Follower, Follower.openid == Registration.openid)
        .where(
            Registration.status != REGISTRATION_PENDING,
            Registration.decision_notified_at.is_(None),
            Follower.followed.is_(True),
            Follower.last_message_at >= now - SERVICE_WINDOW,
        )
        .order_by(Registration.reviewed_at, Registration.id)
        .limit(limit)
    )
    return list(session.execute(query).scalars())


def claim_notice(session: Session, registration_id: int, now: datetime) -> bool:
    """Take a notice for sending; False when another worker has it or it is no longer due."""
    taken = session.execute(
        update(Registration)
        .where(
            Registration.id == registration_id,
            Registration.status != REGISTRATION_PENDING,
            Registration.decision_notified_at.is_(None),
        )
        .values(decision_notified_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    return bool(taken)


def release_notice(session: Session, registration_id: int) -> None:
    session.execute(
        update(Registration)
        .where(Registration.id == registration_id)
        .values(decision_notified_at=None)
        .execution_options(synchronize_session=False)
    )


def notify_decision(runtime: Runtime, registration_id: int) -> str:
    """Tell the user of one decision, at most once: sent, skipped, or why it waits."""
    database_url = runtime.settings.database_url
    with session_scope(database_url) as session:
        if not claim_notice(session, registration_id, utcnow()):
            return "skipped"
        registration = session.get(Registration, registration_id)
        openid, reference = registration.openid, registration.reference
        text = decision_notice(registration)
    try:
        send_text(runtime.wechat, openid, text)
    except TRANSIENT as error:
        # Whatever the refusal, the notice waits for a later sweep.
        with session_scope(database_url) as session:
            release_notice(session, registration_id)
            if isinstance(error, UserUnfollowed):
                record_unfollow(session, openid)
        if isinstance(error, OutsideServiceWindow):
            return "outside the window"  # the user's next message opens it again
        if isinstance(error, UserUnfollowed):
            return "unfollowed"
        # The error's text is not logged: a network error's carries the URL and its token.
        logger.warning(
            "decision notice %s not sent (%s %s); a later sweep retries",
            reference,
            type(error).__name__,
            getattr(error, "code", ""),
        )
        return "retry"
    return "sent"


def notify_decisions() -> str:
    """Tell users of the decisions they can be told of now; what happened, counted."""
    runtime = worker_runtime()
    with session_scope(runtime.settings.database_url) as session:
        due = due_notices(session, utcnow())
    outcomes = Counter(notify_decision(runtime, registration_id) for registration_id in due)
    if not outcomes:
        return "no decisions to tell"
    return ", ".join(f"{count} {outcome}" for outcome, count in sorted(outcomes.items()))
