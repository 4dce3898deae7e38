"""Answer one claimed turn: ask Rasa, then let the ledger decide who delivers the answer."""

from __future__ import annotations

import logging

import requests
from rq import Retry
from sqlalchemy.exc import SQLAlchemyError

from conversation import replies
from conversation.rasa_client import RasaUnavailable
from jobs.pushes import held_flag
from registration.personal import remember_expected
from runtime import Runtime
from storage.db import session_scope
from storage.followers import record_message

logger = logging.getLogger(__name__)

DELIVER_JOB = "worker.jobs.deliver_late_answer"
ANSWER_LATER_JOB = "worker.jobs.answer_deferred_turn"
# Rasa down: try again for about an hour before the turn lands in RQ's failed registry.
ANSWER_LATER_RETRY = Retry(max=8, interval=[5, 15, 30, 60, 120, 300, 600, 1200])
DELIVER_RETRY = Retry(max=3, interval=[5, 30, 120])
SHOW_HELD_JOB = "worker.push_jobs.show_held_pushes"


def ask_rasa(runtime: Runtime, key: str) -> str | None:
    """Rasa's merged answer for a turn, or None when Rasa could not take it."""
    record = runtime.ledger.get(key)
    if record is None:
        logger.warning("turn %s expired before it was answered", key)
        return ""
    try:
        reply = runtime.rasa.send(record.openid, record.text, record.metadata)
    except RasaUnavailable:
        return None
    except (requests.RequestException, ValueError):
        logger.exception("Rasa failed while answering turn %s", key)
        return replies.SORRY_TRY_AGAIN
    remember_expected(runtime.redis, record.openid, reply.expects)
    return reply.text


def answer_turn(runtime: Runtime, key: str, openid: str) -> None:
    """Runs beside the web request that claimed the turn (in a thread of the web process)."""
    answer = ask_rasa(runtime, key)
    if answer is None:
        logger.warning("Rasa unreachable; turn %s deferred to the worker", key)
        runtime.ledger.defer(key)
        runtime.queue.enqueue(ANSWER_LATER_JOB, key, retry=ANSWER_LATER_RETRY)
    elif runtime.ledger.finish(key, answer) == "deliver":
        runtime.queue.enqueue(DELIVER_JOB, key, retry=DELIVER_RETRY)
    if runtime.redis.exists(held_flag(openid)):
        # The user just wrote, so the customer-service window is open: show what was held.
        runtime.queue.enqueue(SHOW_HELD_JOB, openid, retry=DELIVER_RETRY)
    # After the answer is on its way, so the waiting request does not wait for the database too.
    try:
        with session_scope(runtime.settings.database_url) as session:
            record_message(session, openid)
    except SQLAlchemyError:  # the conversation goes on even when the follower table is unreachable
        logger.exception("could not record the message time for a follower")
