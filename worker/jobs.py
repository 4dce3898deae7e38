"""Job functions run by RQ. Each takes ids, builds nothing at import time, and is safe to retry."""

from __future__ import annotations

import logging

from conversation.answering import ask_rasa
from conversation.outgoing import as_sent
from conversation.rasa_client import RasaUnavailable
from conversation.turns import DEFERRED, SENT
from runtime import worker_runtime
from storage.db import session_scope
from storage.followers import is_following, record_unfollow
from wechat_api.customer_service import send_text
from wechat_api.errors import OutsideServiceWindow, UserUnfollowed

logger = logging.getLogger(__name__)


def deliver_late_answer(turn_key: str) -> str:
    """Send a turn's answer through the customer-service API, once."""
    runtime = worker_runtime()
    record = runtime.ledger.get(turn_key)
    if record is None or record.state == SENT or not record.answer:
        return "nothing to send"
    if not runtime.ledger.take_delivery(turn_key):
        return "another worker is sending it"
    try:
        with session_scope(runtime.settings.database_url) as session:
            if not is_following(session, record.openid):
                runtime.ledger.mark_sent(turn_key)
                return "user unfollowed"
        settings = runtime.settings
        text = as_sent(settings, record.answer)
        send_text(runtime.wechat, record.openid, text)
        runtime.ledger.mark_sent(turn_key)
        return "sent"
    except UserUnfollowed:
        with session_scope(runtime.settings.database_url) as session:
            record_unfollow(session, record.openid)
        runtime.ledger.mark_sent(turn_key)
        return "user unfollowed"
    except OutsideServiceWindow:
        logger.warning("turn %s answered outside the customer-service window", turn_key)
        return "outside the service window"
    finally:
        runtime.ledger.release_delivery(turn_key)


def answer_deferred_turn(turn_key: str) -> str:
    """Rasa was down when the turn came in: answer it now and deliver it.

    Raises `RasaUnavailable` while Rasa is still down, so RQ retries on its schedule.
    """
    runtime = worker_runtime()
    record = runtime.ledger.get(turn_key)
    if record is None or record.state != DEFERRED:
        return "not deferred"
    if not record.answer:  # a retry after a failed send must not run the turn through Rasa again
        answer = ask_rasa(runtime, turn_key)
        if answer is None:
            raise RasaUnavailable("Rasa is still unreachable")
        runtime.ledger.finish(turn_key, answer)
    return deliver_late_answer(turn_key)
