"""actions.jobs: search by chat, "更多", subscribe and unsubscribe, against SQLite."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from cryptography.fernet import Fernet
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

import actions.jobs
from actions.jobs import (
    ASK_FOR_PLACE,
    ASK_WHAT_TO_SUBSCRIBE,
    NO_SEARCH_YET,
    ActionMoreJobs,
    ActionSearchJobs,
    ActionSubscribeJobs,
    ActionUnsubscribeJobs,
)
from devstack.sample_postings import add_approved_sample
from jobs.criteria import SearchCriteria
from jobs.subscriptions import subscriptions_of
from storage.db import session_scope
from storage.followers import Place, record_place

TODAY = date(2026, 11, 24)
OPENID = "o_jobs_actions"


@pytest.fixture
def postings(database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """300 approved sample postings; the actions pointed at this database."""
    assert add_approved_sample(database_url, Fernet.generate_key().decode(), 300, TODAY) == 300
    monkeypatch.setattr(actions.jobs, "database_url", lambda: database_url)
    monkeypatch.setattr(actions.jobs, "today", lambda: TODAY)
    monkeypatch.setattr(actions.jobs, "settings", lambda: SimpleNamespace(push_daily_limit=3))
    return database_url


def tracker(
    text: str,
    intent: str,
    entities: list[dict[str, Any]] | None = None,
    slots: dict[str, Any] | None = None,
) -> Tracker:
    return Tracker(
        sender_id=OPENID,
        slots=slots or {},
        latest_message={"text": text, "intent": {"name": intent}, "entities": entities or []},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run(action: Action, message: Tracker) -> tuple[str, dict[str, Any]]:
    """The one text the action sends, and the slots it sets."""
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, message, {})
    [sent] = dispatcher.messages
    return sent.get("text") or sent.get("response"), {e["name"]: e["value"] for e in events}


def entity(name: str, value: str) -> dict[str, Any]:
    return {"entity": name, "value": value}


def test_a_search_lists_matching_postings_with_contacts_left_as_placeholders(
    postings: str,
) -> None:
    text, slots = run(
        ActionSearchJobs(),
        tracker(
            "武汉有没有财务的工作",
            "search_jobs",
            [entity("city", "武汉"), entity("occupation", "会计")],
        ),
    )

    assert text.startswith("为您找到") and "（武汉 · 会计）" in text
    assert "1. 会计｜" in text
    assert "⟦联系方式:" in text and "1380000" not in text
    assert SearchCriteria.from_json(slots["job_search"]) == SearchCriteria(
        city="武汉", occupation="会计"
    )
    assert slots["job_shown"] == text.count("联系：⟦联系方式:")


def test_more_shows_the_next_page_then_says_when_there_is_no_more(postings: str) -> None:
    _, slots = run(
        ActionSearchJobs(), tracker("遂宁的工作", "search_jobs", [entity("city", "遂宁")])
    )
    first_shown = slots["job_shown"]

    text, slots = run(ActionMoreJobs(), tracker("更多", "more_jobs", slots=slots))

    assert f"\n{first_shown + 1}. " in text
    assert slots["job_shown"] > first_shown
    for _ in range(200):
        text, slots = run(ActionMoreJobs(), tracker("更多", "more_jobs", slots=slots))
        if text.startswith("没有更多"):
            break
    else:
        pytest.fail("paging never ended")


def test_more_before_any_search_asks_what_to_look_for(postings: str) -> None:
    assert run(ActionMoreJobs(), tracker("更多", "more_jobs"))[0] == NO_SEARCH_YET


def test_a_search_nothing_matches_says_so_and_offers_to_subscribe(postings: str) -> None:
    text, slots = run(
        ActionSearchJobs(),
        tracker(
            "拉萨的焊工", "search_jobs", [entity("city", "拉萨"), entity("occupation", "焊工")]
        ),
    )

    assert text.startswith("暂时没有找到") and "放宽" in text and "订阅" in text
    assert slots["job_shown"] == 0


def test_near_me_without_a_shared_place_asks_for_it_and_with_one_ranks_by_distance(
    postings: str,
) -> None:
    assert run(ActionSearchJobs(), tracker("附近有什么工作", "search_jobs"))[0] == ASK_FOR_PLACE

    with session_scope(postings) as session:
        record_place(session, OPENID, Place(34.22, 108.95, "雁塔区"))
    text, _ = run(ActionSearchJobs(), tracker("附近有什么工作", "search_jobs"))

    first = text.split("\n\n")[1]
    assert "西安" in first and "离您约" in first


def test_a_question_the_notices_answer_is_answered_not_searched(postings: str) -> None:
    text, _ = run(ActionSearchJobs(), tracker("有就业见习的岗位吗", "search_jobs"))
    assert "来源：" in text


def test_subscribe_with_no_criteria_takes_the_last_search(postings: str) -> None:
    _, slots = run(
        ActionSearchJobs(),
        tracker("西安兼职", "search_jobs", [entity("city", "西安")]),
    )

    text, _ = run(ActionSubscribeJobs(), tracker("有新的通知我", "subscribe_jobs", slots=slots))

    assert "订阅好了" in text and "西安 · 兼职" in text and "每天最多3条" in text
    with session_scope(postings) as session:
        [kept] = subscriptions_of(session, OPENID)
        assert (kept.city, kept.part_time, kept.occupation) == ("西安", True, None)


def test_subscribing_twice_to_the_same_search_keeps_one(postings: str) -> None:
    message = tracker(
        "订阅武汉的普工", "subscribe_jobs", [entity("city", "武汉"), entity("occupation", "操作工")]
    )
    run(ActionSubscribeJobs(), message)

    text, _ = run(ActionSubscribeJobs(), message)

    assert "已经订阅过" in text
    with session_scope(postings) as session:
        assert [s.occupation for s in subscriptions_of(session, OPENID)] == ["普工"]


def test_subscribe_with_nothing_to_go_on_asks_what_to_subscribe(postings: str) -> None:
    assert run(ActionSubscribeJobs(), tracker("订阅", "subscribe_jobs"))[0] == ASK_WHAT_TO_SUBSCRIBE
    text, _ = run(ActionSubscribeJobs(), tracker("订阅全部岗位", "subscribe_jobs"))
    assert "全部岗位" in text


def test_unsubscribe_removes_every_subscription(postings: str) -> None:
    run(
        ActionSubscribeJobs(), tracker("订阅武汉的岗位", "subscribe_jobs", [entity("city", "武汉")])
    )
    run(
        ActionSubscribeJobs(), tracker("订阅焊工", "subscribe_jobs", [entity("occupation", "焊工")])
    )

    text, _ = run(ActionUnsubscribeJobs(), tracker("退订", "unsubscribe"))
    assert "已为您取消全部岗位订阅" in text
    with session_scope(postings) as session:
        assert subscriptions_of(session, OPENID) == []

    text, _ = run(ActionUnsubscribeJobs(), tracker("退订", "unsubscribe"))
    assert "没有订阅" in text


def test_a_question_naming_only_a_place_with_no_postings_gets_the_notices_answer(
    postings: str,
) -> None:
    # The sample has postings in 遂宁 but none in 十堰; the question names only a place.
    text, slots = run(
        ActionSearchJobs(),
        tracker("十堰的残疾人找工作有没有专门帮扶的活动", "search_jobs", [entity("city", "十堰")]),
    )
    assert not text.startswith("暂时没有找到")
    assert "last_question" in slots and "job_search" not in slots  # answered, not searched

    listed, _ = run(
        ActionSearchJobs(), tracker("遂宁有什么工作", "search_jobs", [entity("city", "遂宁")])
    )
    assert listed.startswith("为您找到") and "遂宁" in listed
