"""worker.jobs: delivering late answers and answering deferred turns, run directly."""

from __future__ import annotations

import pytest

from conversation.rasa_client import RasaUnavailable
from conversation.turns import DEFERRED, LATE, SENT
from runtime import Runtime
from storage.db import session_scope
from storage.followers import record_follow, record_unfollow
from wechat_api.errors import WeChatSendError
from worker.jobs import answer_deferred_turn, deliver_late_answer

from .support import FakeRasa, FakeWeChat, follower

OPENID = "o_worker_user"


def late_turn(runtime: Runtime, key: str = "msg:1", answer: str = "晚到的答案") -> str:
    runtime.ledger.claim(key, OPENID, "找工作")
    runtime.ledger.give_up(key)
    assert runtime.ledger.finish(key, answer) == "deliver"
    return key


def deferred_turn(runtime: Runtime, key: str = "msg:2") -> str:
    runtime.ledger.claim(key, OPENID, "找工作")
    assert runtime.ledger.defer(key)
    return key


def test_late_answer_is_sent_once(worker_runtime: Runtime, fake_wechat: FakeWeChat) -> None:
    key = late_turn(worker_runtime)

    assert deliver_late_answer(key) == "sent"
    assert deliver_late_answer(key) == "nothing to send"

    assert fake_wechat.texts_to(OPENID) == ["晚到的答案"]
    assert worker_runtime.ledger.state(key) == SENT


@pytest.mark.parametrize(
    "prepare",
    [
        pytest.param(lambda runtime: None, id="unknown-turn"),
        pytest.param(
            lambda runtime: runtime.ledger.claim("msg:1", OPENID, "x") and None, id="no-answer-yet"
        ),
        pytest.param(lambda runtime: late_turn(runtime, answer=""), id="empty-answer"),
    ],
)
def test_nothing_is_sent_without_an_answer(
    worker_runtime: Runtime, fake_wechat: FakeWeChat, prepare: object
) -> None:
    prepare(worker_runtime)  # type: ignore[operator]

    assert deliver_late_answer("msg:1") == "nothing to send"
    assert fake_wechat.sent() == []


def test_a_delivery_in_progress_elsewhere_is_left_alone(
    worker_runtime: Runtime, fake_wechat: FakeWeChat
) -> None:
    key = late_turn(worker_runtime)
    assert worker_runtime.ledger.take_delivery(key)

    assert deliver_late_answer(key) == "another worker is sending it"
    assert fake_wechat.sent() == []
    assert worker_runtime.ledger.state(key) == LATE


def test_answer_is_not_sent_to_a_user_who_unfollowed(
    worker_runtime: Runtime, database_url: str, fake_wechat: FakeWeChat
) -> None:
    key = late_turn(worker_runtime)
    with session_scope(database_url) as session:
        record_follow(session, OPENID)
        record_unfollow(session, OPENID)

    assert deliver_late_answer(key) == "user unfollowed"
    assert fake_wechat.sent() == []
    assert worker_runtime.ledger.state(key) == SENT


def test_wechat_saying_unfollowed_records_the_unfollow(
    worker_runtime: Runtime, database_url: str, fake_wechat: FakeWeChat
) -> None:
    key = late_turn(worker_runtime)
    fake_wechat.fail_sends_to(OPENID, 43004)

    assert deliver_late_answer(key) == "user unfollowed"

    recorded = follower(database_url, OPENID)
    assert recorded is not None
    assert recorded.followed is False
    assert worker_runtime.ledger.state(key) == SENT
    assert worker_runtime.ledger.take_delivery(key)  # the lease was released


def test_outside_the_service_window_gives_up_without_marking_sent(
    worker_runtime: Runtime, fake_wechat: FakeWeChat
) -> None:
    key = late_turn(worker_runtime)
    fake_wechat.fail_sends_to(OPENID, 45015)

    assert deliver_late_answer(key) == "outside the service window"
    assert worker_runtime.ledger.state(key) == LATE
    assert worker_runtime.ledger.take_delivery(key)  # the lease was released


def test_other_wechat_errors_raise_for_rqs_retry_and_release_the_lease(
    worker_runtime: Runtime, fake_wechat: FakeWeChat
) -> None:
    key = late_turn(worker_runtime)
    fake_wechat.fail_sends_to(OPENID, 45047)

    with pytest.raises(WeChatSendError):
        deliver_late_answer(key)

    assert worker_runtime.ledger.state(key) == LATE
    assert worker_runtime.ledger.take_delivery(key)


def test_deferred_turn_is_answered_and_delivered(
    worker_runtime: Runtime, fake_rasa: FakeRasa, fake_wechat: FakeWeChat
) -> None:
    key = deferred_turn(worker_runtime)

    assert answer_deferred_turn(key) == "sent"

    assert fake_rasa.messages == ["找工作"]
    assert fake_wechat.texts_to(OPENID) == ["收到：找工作"]


def test_deferred_turn_raises_while_rasa_is_still_down(
    worker_runtime: Runtime, fake_rasa: FakeRasa, fake_wechat: FakeWeChat
) -> None:
    key = deferred_turn(worker_runtime)
    fake_rasa.stop()

    with pytest.raises(RasaUnavailable):
        answer_deferred_turn(key)

    assert worker_runtime.ledger.state(key) == DEFERRED
    assert fake_wechat.sent() == []


@pytest.mark.parametrize(
    "prepare",
    [
        pytest.param(lambda runtime: None, id="unknown"),
        pytest.param(lambda runtime: runtime.ledger.claim("msg:2", OPENID, "x"), id="pending"),
        pytest.param(lambda runtime: late_turn(runtime, key="msg:2"), id="late"),
    ],
)
def test_only_deferred_turns_are_answered_later(
    worker_runtime: Runtime, fake_rasa: FakeRasa, prepare: object
) -> None:
    prepare(worker_runtime)  # type: ignore[operator]

    assert answer_deferred_turn("msg:2") == "not deferred"
    assert fake_rasa.turns == []


def test_a_retried_deferred_job_does_not_ask_rasa_twice(
    worker_runtime: Runtime, fake_rasa: FakeRasa, fake_wechat: FakeWeChat
) -> None:
    key = deferred_turn(worker_runtime)
    fake_wechat.fail_sends_to(OPENID, 45047)
    with pytest.raises(WeChatSendError):
        answer_deferred_turn(key)
    fake_wechat.fail_sends_to(OPENID, 0)

    answer_deferred_turn(key)  # RQ's retry

    assert fake_wechat.texts_to(OPENID) == ["收到：找工作"]
    assert len(fake_rasa.turns) == 1
