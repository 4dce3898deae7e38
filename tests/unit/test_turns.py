"""conversation.turns.TurnLedger against the real Redis (db 14, a prefix per test)."""

from __future__ import annotations

import threading

import pytest

from conversation.turns import DEFERRED, LATE, PENDING, READY, SENT, TURN_TTL_SECONDS, TurnLedger


def claimed(ledger: TurnLedger, key: str = "msg:1") -> str:
    assert ledger.claim(key, "o_user", "找工作", {"via": "voice"})
    return key


def test_a_turn_is_claimed_once(ledger: TurnLedger) -> None:
    assert ledger.claim("msg:1", "o_user", "找工作") is True
    assert ledger.claim("msg:1", "o_user", "找工作") is False
    assert ledger.claim("msg:1", "o_other", "别的") is False

    record = ledger.get("msg:1")
    assert record is not None
    assert (record.openid, record.text, record.state) == ("o_user", "找工作", PENDING)


def test_different_keys_are_different_turns(ledger: TurnLedger) -> None:
    assert ledger.claim("msg:1", "o_user", "a")
    assert ledger.claim("msg:2", "o_user", "b")


def test_only_one_of_many_concurrent_claims_wins(ledger: TurnLedger) -> None:
    start = threading.Barrier(8)
    results: list[bool] = []

    def claim() -> None:
        start.wait()
        results.append(ledger.claim("msg:race", "o_user", "hi"))

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == [False] * 7 + [True]


def test_record_keeps_text_and_metadata(ledger: TurnLedger) -> None:
    ledger.claim("msg:1", "o_user", '/share_location{"place": "武汉"}', {"via": "voice"})

    record = ledger.get("msg:1")

    assert record is not None
    assert record.text == '/share_location{"place": "武汉"}'
    assert record.metadata == {"via": "voice"}
    assert record.answer == ""


def test_unknown_turn_has_no_record_and_no_state(ledger: TurnLedger) -> None:
    assert ledger.get("msg:404") is None
    assert ledger.state("msg:404") == ""


def test_claimed_turn_expires(ledger: TurnLedger) -> None:
    key = claimed(ledger)

    ttl = ledger.redis.ttl(ledger._hash(key))

    assert 0 < ttl <= TURN_TTL_SECONDS


# -- finish vs give_up ---------------------------------------------------------------------------


def test_answer_before_give_up_is_served_passively(ledger: TurnLedger) -> None:
    key = claimed(ledger)

    assert ledger.finish(key, "答案") == "passive"
    assert ledger.give_up(key) == (READY, "答案")
    assert ledger.state(key) == READY


def test_give_up_before_answer_hands_the_answer_to_the_worker(ledger: TurnLedger) -> None:
    key = claimed(ledger)

    assert ledger.give_up(key) == (LATE, "")
    assert ledger.finish(key, "答案") == "deliver"
    record = ledger.get(key)
    assert record is not None
    assert (record.state, record.answer) == (LATE, "答案")


def test_finish_keeps_the_turns_expiry(ledger: TurnLedger) -> None:
    key = claimed(ledger)
    ledger.give_up(key)
    ledger.finish(key, "答案")

    assert 0 < ledger.redis.ttl(ledger._hash(key)) <= TURN_TTL_SECONDS


def test_finishing_an_expired_turn_leaves_nothing_without_expiry(ledger: TurnLedger) -> None:
    ledger.finish("msg:expired", "")

    assert ledger.redis.ttl(ledger._hash("msg:expired")) != -1


@pytest.mark.parametrize("round_", range(30))
def test_finish_and_give_up_racing_have_exactly_one_winner(ledger: TurnLedger, round_: int) -> None:
    key = claimed(ledger, f"msg:race:{round_}")
    start = threading.Barrier(2)
    outcome: dict[str, object] = {}

    def finish() -> None:
        start.wait()
        outcome["finish"] = ledger.finish(key, "答案")

    def give_up() -> None:
        start.wait()
        outcome["give_up"] = ledger.give_up(key)

    threads = [threading.Thread(target=finish), threading.Thread(target=give_up)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    passive = outcome["finish"] == "passive" and outcome["give_up"] == (READY, "答案")
    late = outcome["finish"] == "deliver" and outcome["give_up"] == (LATE, "")
    assert passive != late, outcome


# -- defer ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "deferred", "state"),
    [
        pytest.param(lambda ledger, key: None, True, DEFERRED, id="pending"),
        pytest.param(lambda ledger, key: ledger.give_up(key), True, DEFERRED, id="late"),
        pytest.param(lambda ledger, key: ledger.finish(key, "a"), False, READY, id="ready"),
        pytest.param(lambda ledger, key: ledger.mark_sent(key), False, SENT, id="sent"),
    ],
)
def test_defer_applies_only_to_unanswered_turns(
    ledger: TurnLedger, before: object, deferred: bool, state: str
) -> None:
    key = claimed(ledger)
    before(ledger, key)  # type: ignore[operator]

    assert ledger.defer(key) is deferred
    assert ledger.state(key) == state


def test_defer_of_an_unknown_turn_does_nothing(ledger: TurnLedger) -> None:
    assert ledger.defer("msg:404") is False
    assert ledger.get("msg:404") is None


def test_give_up_after_defer_reports_deferred(ledger: TurnLedger) -> None:
    key = claimed(ledger)
    ledger.defer(key)

    assert ledger.give_up(key) == (DEFERRED, "")


def test_finish_after_defer_hands_the_answer_to_the_worker(ledger: TurnLedger) -> None:
    key = claimed(ledger)
    ledger.defer(key)

    assert ledger.finish(key, "答案") == "deliver"


# -- wait ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("settle", "state"),
    [
        pytest.param(lambda ledger, key: ledger.finish(key, "a"), READY, id="ready"),
        pytest.param(lambda ledger, key: ledger.defer(key), DEFERRED, id="deferred"),
        pytest.param(lambda ledger, key: ledger.give_up(key), LATE, id="late"),
    ],
)
def test_wait_returns_at_once_for_a_settled_turn(
    ledger: TurnLedger, settle: object, state: str
) -> None:
    key = claimed(ledger)
    settle(ledger, key)  # type: ignore[operator]

    assert ledger.wait(key, 30) == state


@pytest.mark.parametrize("timeout", [0, -1, 0.05])
def test_wait_on_a_pending_turn_returns_pending_when_time_is_up(
    ledger: TurnLedger, timeout: float
) -> None:
    key = claimed(ledger)

    assert ledger.wait(key, timeout) == PENDING


@pytest.mark.parametrize(
    ("settle", "state"),
    [
        pytest.param(lambda ledger, key: ledger.finish(key, "答案"), READY, id="finish"),
        pytest.param(lambda ledger, key: ledger.defer(key), DEFERRED, id="defer"),
    ],
)
@pytest.mark.parametrize("waiters", [2, 4])
def test_settling_a_turn_wakes_every_waiter(
    ledger: TurnLedger, settle: object, state: str, waiters: int
) -> None:
    key = claimed(ledger)
    started = threading.Semaphore(0)
    results: list[str] = []

    def wait() -> None:
        started.release()
        results.append(ledger.wait(key, 30))

    threads = [threading.Thread(target=wait) for _ in range(waiters)]
    for thread in threads:
        thread.start()
    for _ in threads:
        assert started.acquire(timeout=10)
    settle(ledger, key)  # type: ignore[operator]
    for thread in threads:
        thread.join(timeout=30)

    assert results == [state] * waiters


# -- delivery ------------------------------------------------------------------------------------


def test_only_one_worker_takes_a_delivery(ledger: TurnLedger) -> None:
    key = claimed(ledger)

    assert ledger.take_delivery(key) is True
    assert ledger.take_delivery(key) is False

    ledger.release_delivery(key)
    assert ledger.take_delivery(key) is True


@pytest.mark.parametrize("lease", [1, 120])
def test_delivery_lease_expires(ledger: TurnLedger, lease: int) -> None:
    key = claimed(ledger)
    ledger.take_delivery(key, lease_seconds=lease)

    ttl_ms = ledger.redis.pttl(f"{ledger._hash(key)}:delivering")

    assert 0 < ttl_ms <= lease * 1000


def test_mark_sent(ledger: TurnLedger) -> None:
    key = claimed(ledger)
    ledger.give_up(key)
    ledger.finish(key, "答案")

    ledger.mark_sent(key)

    assert ledger.state(key) == SENT
    assert ledger.give_up(key) == (SENT, "答案")
