"""Answers that miss the passive reply: slow Rasa, Rasa down, concurrent retries, unfollows.

The web app runs through `server.create_app`; the worker's jobs run in this process with RQ's
SimpleWorker in burst mode against the same Redis db, and send through the fake WeChat API.
"""

from __future__ import annotations

import threading

import pytest
from rq.job import Job
from rq.registry import ScheduledJobRegistry
from werkzeug.test import TestResponse

import worker.jobs
from conversation import replies
from conversation.turns import DEFERRED, LATE, SENT

from .support import Harness, MakeApp, message_xml, new_msg_id

ANSWER = "收到：我想找一份快递员的工作"


def text_turn(harness: Harness, name: str = "user") -> tuple[str, str, str]:
    """(openid, xml, turn key) for a new text message."""
    openid = harness.openid(name)
    msg_id = new_msg_id()
    return openid, message_xml("text", openid=openid, msg_id=msg_id), f"msg:{msg_id}"


def requeue_scheduled_retries(harness: Harness) -> int:
    """Move jobs waiting for an RQ retry back onto the queue, as the scheduler would later."""
    registry = ScheduledJobRegistry(queue=harness.runtime.queue)
    job_ids = registry.get_job_ids()
    for job_id in job_ids:
        job = Job.fetch(job_id, connection=harness.runtime.redis)
        registry.remove(job)
        harness.runtime.queue.enqueue_job(job)
    return len(job_ids)


# -- slow Rasa -----------------------------------------------------------------------------------


def test_slow_rasa_gets_success_then_exactly_one_customer_service_message(
    make_app: MakeApp,
) -> None:
    harness = make_app(REPLY_BUDGET_SECONDS="0.2")
    openid, xml, key = text_turn(harness)
    harness.fake_rasa.hold()

    response = harness.post(xml)

    assert response.status_code == 200
    assert response.text == "success"
    assert harness.runtime.ledger.state(key) == LATE
    assert harness.fake_wechat.sent() == []

    harness.fake_rasa.release()
    harness.settle()
    assert harness.queued() == 1
    harness.run_worker()

    assert harness.fake_wechat.texts_to(openid) == [ANSWER]
    assert harness.runtime.ledger.state(key) == SENT


def test_late_answer_is_not_sent_again_by_a_second_job_or_a_retry(make_app: MakeApp) -> None:
    harness = make_app(REPLY_BUDGET_SECONDS="0.2")
    openid, xml, key = text_turn(harness)
    harness.fake_rasa.hold()
    harness.post(xml)
    harness.fake_rasa.release()
    harness.settle()
    harness.run_worker()

    again = worker.jobs.deliver_late_answer(key)
    retry = harness.post(xml)
    harness.settle()
    harness.run_worker()

    assert again == "nothing to send"
    assert retry.text == "success"
    assert len(harness.fake_rasa.turns) == 1
    assert harness.fake_wechat.texts_to(openid) == [ANSWER]


@pytest.mark.parametrize("retries", [1, 3])
def test_retries_during_a_slow_turn_still_give_one_late_message(
    make_app: MakeApp, retries: int
) -> None:
    harness = make_app(REPLY_BUDGET_SECONDS="0.2")
    openid, xml, _key = text_turn(harness)
    harness.fake_rasa.hold()

    responses = [harness.post(xml) for _ in range(1 + retries)]
    harness.fake_rasa.release()
    harness.settle()
    harness.run_worker()

    assert [response.text for response in responses] == ["success"] * (1 + retries)
    assert len(harness.fake_rasa.turns) == 1
    assert harness.fake_wechat.texts_to(openid) == [ANSWER]


@pytest.mark.parametrize("retries", [1, 3])
def test_retry_arriving_while_the_first_request_waits_gets_the_same_answer(
    harness: Harness, monkeypatch: pytest.MonkeyPatch, retries: int
) -> None:
    ledger = harness.runtime.ledger
    entered_wait = threading.Semaphore(0)
    original_wait = ledger.wait

    def observed_wait(key: str, timeout: float) -> str:
        entered_wait.release()
        return original_wait(key, timeout)

    monkeypatch.setattr(ledger, "wait", observed_wait)
    openid, xml, _key = text_turn(harness)
    harness.fake_rasa.hold()
    responses: dict[int, TestResponse] = {}

    def deliver(index: int) -> None:
        responses[index] = harness.post(xml, client=harness.app.test_client())

    threads = [threading.Thread(target=deliver, args=(index,)) for index in range(1 + retries)]
    threads[0].start()
    assert harness.fake_rasa.wait_for_turns(1)
    assert entered_wait.acquire(timeout=15)
    for thread in threads[1:]:
        thread.start()
        assert entered_wait.acquire(timeout=15)  # this retry is waiting for the same turn
    harness.fake_rasa.release()
    for thread in threads:
        thread.join(timeout=30)

    answers = [harness.reply_text(responses[index]) for index in range(1 + retries)]
    assert answers == [ANSWER] * (1 + retries)
    assert len(harness.fake_rasa.turns) == 1
    harness.settle()
    assert harness.queued() == 0
    assert harness.fake_wechat.sent(openid) == []


# -- Rasa unreachable ----------------------------------------------------------------------------


def test_rasa_unreachable_gets_received_now_and_the_answer_later(harness: Harness) -> None:
    openid, xml, key = text_turn(harness)
    harness.fake_rasa.stop()

    response = harness.post(xml)
    harness.settle()

    assert harness.reply_text(response) == replies.RECEIVED_WILL_ANSWER
    assert harness.runtime.ledger.state(key) == DEFERRED
    assert harness.queued() == 1

    harness.fake_rasa.start()
    harness.run_worker()

    assert harness.fake_rasa.messages == ["我想找一份快递员的工作"]
    assert harness.fake_wechat.texts_to(openid) == [ANSWER]
    assert harness.runtime.ledger.state(key) == SENT


def test_deferred_turn_is_retried_until_rasa_is_back(harness: Harness) -> None:
    openid, xml, key = text_turn(harness)
    harness.fake_rasa.stop()
    harness.post(xml)
    harness.settle()

    harness.run_worker()  # Rasa still down: the job fails and waits for an RQ retry

    assert harness.fake_wechat.sent() == []
    assert harness.runtime.ledger.state(key) == DEFERRED
    assert requeue_scheduled_retries(harness) == 1

    harness.fake_rasa.start()
    harness.run_worker()

    assert harness.fake_wechat.texts_to(openid) == [ANSWER]
    assert len(harness.fake_rasa.turns) == 1


def test_retry_of_a_deferred_turn_gets_received_again_without_a_second_job(
    harness: Harness,
) -> None:
    _openid, xml, _key = text_turn(harness)
    harness.fake_rasa.stop()
    harness.post(xml)
    harness.settle()

    retry = harness.post(xml)
    harness.settle()

    assert harness.reply_text(retry) == replies.RECEIVED_WILL_ANSWER
    assert harness.queued() == 1


# -- unfollowing ---------------------------------------------------------------------------------


def test_unfollow_stops_a_late_answer(make_app: MakeApp) -> None:
    harness = make_app(REPLY_BUDGET_SECONDS="0.2")
    openid, xml, key = text_turn(harness)
    harness.fake_rasa.hold()
    assert harness.post(xml).text == "success"
    assert harness.fake_rasa.wait_for_turns(1)

    response = harness.post(message_xml("event_unsubscribe", openid=openid))

    assert response.text == "success"
    follower = harness.follower(openid)
    assert follower is not None
    assert follower.followed is False

    harness.fake_rasa.release()
    harness.settle()
    harness.run_worker()

    assert harness.fake_wechat.sent(openid) == []
    assert harness.runtime.ledger.state(key) == SENT  # settled: no retry will send it


def test_unfollow_stops_a_deferred_answer(harness: Harness) -> None:
    openid, xml, _key = text_turn(harness)
    harness.fake_rasa.stop()
    harness.post(xml)
    harness.settle()

    harness.post(message_xml("event_unsubscribe", openid=openid))
    harness.fake_rasa.start()
    harness.run_worker()

    assert harness.fake_wechat.sent(openid) == []
