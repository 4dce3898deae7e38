"""worker.push_jobs and jobs.pushes: new postings reach the subscribers they match, each once.

The jobs run in this process against SQLite, the test Redis db and the fake WeChat API.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

import worker.push_jobs
from jobs.criteria import SearchCriteria
from jobs.pushes import DailyLimit, claim, held_flag, plan_pushes
from jobs.subscriptions import subscribe, unsubscribe
from runtime import Runtime
from settings import today
from storage.db import session_scope
from storage.followers import record_message, record_unfollow
from storage.models import (
    DROPPED,
    HELD,
    QUEUED,
    REJECTED,
    SENDING,
    SENT,
    SHOWN,
    Follower,
    JobPush,
    Posting,
    utcnow,
)
from wechat_api.errors import WeChatSendError
from worker.push_jobs import deliver_pushes, show_held_pushes, sweep_postings

from . import support
from .support import FakeWeChat, follower, run_worker

PHONE = "13800001234"


@pytest.fixture
def runtime(worker_runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> Iterator[Runtime]:
    monkeypatch.setattr(worker.push_jobs, "SWEEP_KEY", f"test:{worker_runtime.queue.name}:sweep")
    yield worker_runtime


def add_posting(runtime: Runtime, **fields: Any) -> int:
    settings = runtime.settings
    return support.add_posting(
        settings.database_url, settings.data_key, contact=f"人事部王经理 {PHONE}", **fields
    )


def subscriber(
    runtime: Runtime, openid: str, criteria: SearchCriteria, wrote_days_ago: float = 0
) -> str:
    with session_scope(runtime.settings.database_url) as session:
        subscribe(session, openid, criteria)
        record_message(session, openid)
        session.get(Follower, openid).last_message_at = utcnow() - timedelta(days=wrote_days_ago)
    return openid


def plan(runtime: Runtime, posting_id: int) -> int:
    with session_scope(runtime.settings.database_url) as session:
        return plan_pushes(session, session.get(Posting, posting_id), utcnow())


def pushes(runtime: Runtime, openid: str | None = None) -> list[JobPush]:
    with session_scope(runtime.settings.database_url) as session:
        query = select(JobPush).order_by(JobPush.id)
        if openid is not None:
            query = query.where(JobPush.openid == openid)
        found = list(session.execute(query).scalars())
        session.expunge_all()
        return found


def push_ids(runtime: Runtime, openid: str) -> list[int]:
    return [push.id for push in pushes(runtime, openid)]


def user(runtime: Runtime, name: str) -> str:
    return f"o_{name}_{runtime.queue.name}"


# -- planning ----------------------------------------------------------------------------------


def test_a_posting_is_queued_once_for_each_follower_whose_subscription_matches(
    runtime: Runtime,
) -> None:
    fits = subscriber(
        runtime, user(runtime, "fits"), SearchCriteria(city="武汉", occupation="会计")
    )
    subscriber(runtime, fits, SearchCriteria(occupation="财务"))  # a second matching subscription
    anything = subscriber(runtime, user(runtime, "any"), SearchCriteria())
    subscriber(runtime, user(runtime, "xian"), SearchCriteria(city="西安"))
    subscriber(runtime, user(runtime, "pay"), SearchCriteria(salary_floor=8000))
    gone = subscriber(runtime, user(runtime, "gone"), SearchCriteria(city="武汉"))
    with session_scope(runtime.settings.database_url) as session:
        record_unfollow(session, gone)
    posting_id = add_posting(runtime, title="财务会计")

    assert plan(runtime, posting_id) == 2
    assert plan(runtime, posting_id) == 0

    assert sorted(push.openid for push in pushes(runtime)) == sorted([fits, anything])
    assert {push.state for push in pushes(runtime)} == {QUEUED}


# -- delivery ----------------------------------------------------------------------------------


def test_inside_the_window_a_push_is_a_customer_service_message_sent_once(
    runtime: Runtime, fake_wechat: FakeWeChat
) -> None:
    openid = subscriber(runtime, user(runtime, "a"), SearchCriteria(city="武汉"))
    plan(runtime, add_posting(runtime))
    [push_id] = push_ids(runtime, openid)

    assert deliver_pushes([push_id]) == "1 sent by custom"
    assert deliver_pushes([push_id]) == "1 skipped"

    [text] = fake_wechat.texts_to(openid)
    assert "会计｜武汉楚天科技有限公司（示例）" in text and PHONE in text
    [push] = pushes(runtime, openid)
    assert (push.state, push.channel) == (SENT, "custom")


def test_with_a_template_configured_the_push_is_a_template_message(
    runtime: Runtime, fake_wechat: FakeWeChat
) -> None:
    runtime.settings = dataclasses.replace(runtime.settings, job_template_id="tpl-new-job")
    openid = subscriber(runtime, user(runtime, "t"), SearchCriteria(), wrote_days_ago=30)
    plan(runtime, add_posting(runtime, title="焊工"))

    deliver_pushes(push_ids(runtime, openid))

    [message] = fake_wechat.sent(openid)
    assert message["kind"] == "template"
    assert message["payload"]["template_id"] == "tpl-new-job"
    assert message["payload"]["data"]["keyword1"]["value"] == "焊工"
    assert PHONE in message["payload"]["data"]["remark"]["value"]


def test_outside_the_window_with_no_template_the_push_is_held_for_the_next_message(
    runtime: Runtime, fake_wechat: FakeWeChat
) -> None:
    openid = subscriber(runtime, user(runtime, "late"), SearchCriteria(), wrote_days_ago=3)
    plan(runtime, add_posting(runtime))

    assert deliver_pushes(push_ids(runtime, openid)) == "1 held"

    assert fake_wechat.sent(openid) == []
    assert [push.state for push in pushes(runtime, openid)] == [HELD]
    assert runtime.redis.exists(held_flag(openid))


def test_past_the_daily_limit_pushes_are_held(runtime: Runtime, fake_wechat: FakeWeChat) -> None:
    runtime.settings = dataclasses.replace(runtime.settings, push_daily_limit=2)
    openid = subscriber(runtime, user(runtime, "busy"), SearchCriteria())
    for title in ("会计", "出纳", "焊工"):
        plan(runtime, add_posting(runtime, title=title))

    deliver_pushes(push_ids(runtime, openid))

    assert len(fake_wechat.sent(openid)) == 2
    assert [push.state for push in pushes(runtime, openid)] == [SENT, SENT, HELD]


def test_45015_outside_the_window_holds_the_push_and_gives_back_the_days_count(
    runtime: Runtime, fake_wechat: FakeWeChat
) -> None:
    runtime.settings = dataclasses.replace(runtime.settings, push_daily_limit=1)
    openid = subscriber(runtime, user(runtime, "w"), SearchCriteria())
    plan(runtime, add_posting(runtime))
    fake_wechat.fail_sends_to(openid, 45015)

    assert deliver_pushes(push_ids(runtime, openid)) == "1 held"

    assert [push.state for push in pushes(runtime, openid)] == [HELD]
    assert DailyLimit(runtime.redis, 1).take(openid, today())


def test_43004_marks_the_user_unfollowed_and_drops_all_their_pushes(
    runtime: Runtime, fake_wechat: FakeWeChat
) -> None:
    openid = subscriber(runtime, user(runtime, "left"), SearchCriteria())
    plan(runtime, add_posting(runtime, title="会计"))
    plan(runtime, add_posting(runtime, title="出纳"))
    fake_wechat.fail_sends_to(openid, 43004)

    assert deliver_pushes(push_ids(runtime, openid)) == "1 skipped, 1 unfollowed"

    assert [push.state for push in pushes(runtime, openid)] == [DROPPED, DROPPED]
    assert follower(runtime.settings.database_url, openid).followed is False
    # A posting approved later is not planned for them either.
    assert plan(runtime, add_posting(runtime, title="焊工")) == 0


def test_a_failure_wechat_may_recover_from_requeues_the_push_and_fails_the_job(
    runtime: Runtime, fake_wechat: FakeWeChat
) -> None:
    openid = subscriber(runtime, user(runtime, "busy"), SearchCriteria())
    plan(runtime, add_posting(runtime))
    fake_wechat.fail_sends_to(openid, 45047)

    with pytest.raises(WeChatSendError):
        deliver_pushes(push_ids(runtime, openid))
    assert [push.state for push in pushes(runtime, openid)] == [QUEUED]

    fake_wechat.fail_sends_to(openid, 0)
    assert deliver_pushes(push_ids(runtime, openid)) == "1 sent by custom"
    assert len(fake_wechat.sent(openid)) == 1


def test_a_push_whose_worker_died_while_sending_is_not_sent_again(
    runtime: Runtime, fake_wechat: FakeWeChat
) -> None:
    openid = subscriber(runtime, user(runtime, "crash"), SearchCriteria())
    plan(runtime, add_posting(runtime))
    [push_id] = push_ids(runtime, openid)
    with session_scope(runtime.settings.database_url) as session:
        assert claim(session, push_id)  # the worker that died had claimed it

    assert deliver_pushes([push_id]) == "1 skipped"

    assert fake_wechat.sent(openid) == []
    assert [push.state for push in pushes(runtime, openid)] == [SENDING]


def test_unsubscribing_stops_pushes_not_yet_sent(runtime: Runtime, fake_wechat: FakeWeChat) -> None:
    openid = subscriber(runtime, user(runtime, "stop"), SearchCriteria(), wrote_days_ago=3)
    plan(runtime, add_posting(runtime, title="会计"))
    deliver_pushes(push_ids(runtime, openid))  # held: outside the window
    plan(runtime, add_posting(runtime, title="出纳"))  # queued

    with session_scope(runtime.settings.database_url) as session:
        assert unsubscribe(session, openid) == 1

    assert [push.state for push in pushes(runtime, openid)] == [DROPPED, DROPPED]
    deliver_pushes(push_ids(runtime, openid))
    assert show_held_pushes(openid) == "nothing held"
    assert fake_wechat.sent(openid) == []


def test_a_posting_taken_down_before_its_push_goes_out_is_dropped(
    runtime: Runtime, fake_wechat: FakeWeChat
) -> None:
    openid = subscriber(runtime, user(runtime, "x"), SearchCriteria())
    posting_id = add_posting(runtime)
    plan(runtime, posting_id)
    with session_scope(runtime.settings.database_url) as session:
        session.get(Posting, posting_id).state = REJECTED

    assert deliver_pushes(push_ids(runtime, openid)) == "1 dropped"
    assert fake_wechat.sent(openid) == []


# -- held pushes ---------------------------------------------------------------------------------


def hold(runtime: Runtime, openid: str, titles: list[str]) -> None:
    for title in titles:
        plan(runtime, add_posting(runtime, title=title))
    deliver_pushes(push_ids(runtime, openid))


def test_held_postings_are_shown_in_one_message_after_the_user_writes(
    runtime: Runtime, fake_wechat: FakeWeChat
) -> None:
    openid = subscriber(runtime, user(runtime, "h"), SearchCriteria(), wrote_days_ago=3)
    hold(runtime, openid, ["会计", "出纳"])

    assert show_held_pushes(openid) == "2 shown, 0 still held"
    assert show_held_pushes(openid) == "nothing held"

    [text] = fake_wechat.texts_to(openid)
    assert text.startswith("您有2条新岗位")
    assert "会计｜" in text and "出纳｜" in text and PHONE in text
    assert {push.state for push in pushes(runtime, openid)} == {SHOWN}
    assert not runtime.redis.exists(held_flag(openid))


def test_more_held_postings_than_one_message_shows_wait_for_the_next(
    runtime: Runtime, fake_wechat: FakeWeChat
) -> None:
    openid = subscriber(runtime, user(runtime, "many"), SearchCriteria(), wrote_days_ago=3)
    hold(runtime, openid, ["会计", "出纳", "焊工", "电工", "厨师", "保安", "保洁员"])

    assert show_held_pushes(openid) == "5 shown, 2 still held"

    [text] = fake_wechat.texts_to(openid)
    assert text.startswith("您有7条新岗位") and "还有2条" in text
    assert runtime.redis.exists(held_flag(openid))
    assert show_held_pushes(openid) == "2 shown, 0 still held"


def test_held_postings_stay_held_when_wechat_refuses_the_message(
    runtime: Runtime, fake_wechat: FakeWeChat
) -> None:
    openid = subscriber(runtime, user(runtime, "r"), SearchCriteria(), wrote_days_ago=3)
    hold(runtime, openid, ["会计"])
    fake_wechat.fail_sends_to(openid, 45015)

    assert show_held_pushes(openid) == "outside the window: still held"
    assert [push.state for push in pushes(runtime, openid)] == [HELD]


# -- the sweep -----------------------------------------------------------------------------------


def test_the_sweep_fans_out_newly_visible_postings_and_their_pushes_are_delivered(
    runtime: Runtime, fake_wechat: FakeWeChat
) -> None:
    openid = subscriber(runtime, user(runtime, "s"), SearchCriteria(city="武汉"))
    shown = add_posting(runtime, title="会计")
    waiting = add_posting(runtime, title="出纳", approved=False)

    assert sweep_postings().startswith("1 postings fanned out")
    run_worker(runtime, f"test-{runtime.queue.name}-1")

    assert [push.posting_id for push in pushes(runtime, openid)] == [shown]
    assert len(fake_wechat.sent(openid)) == 1
    with session_scope(runtime.settings.database_url) as session:
        assert session.get(Posting, shown).pushed_at is not None
        assert session.get(Posting, waiting).pushed_at is None
    # Nothing new: a second sweep fans out nothing and sends nothing.
    assert sweep_postings().startswith("0 postings fanned out")
    run_worker(runtime, f"test-{runtime.queue.name}-2")
    assert len(fake_wechat.sent(openid)) == 1


def test_a_posting_expired_before_the_sweep_is_not_pushed(runtime: Runtime) -> None:
    subscriber(runtime, user(runtime, "e"), SearchCriteria())
    posting_id = add_posting(runtime)
    with session_scope(runtime.settings.database_url) as session:
        session.get(Posting, posting_id).valid_until = date(2000, 1, 1)

    assert sweep_postings().startswith("0 postings fanned out")
    assert pushes(runtime) == []
