"""action_answer_policy / action_answer_campaigns: answers, and follow-ups that keep the topic."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import ActionExecutor, CollectingDispatcher

from actions.handoff import ActionRequestHandoff, asks_for_a_person
from actions.questions import (
    ActionAnswerCampaigns,
    ActionAnswerFallback,
    ActionAnswerPolicy,
    ActionRespondOrAnswer,
)


def tracker(text: str, intent: str, last_question: str | None, last_topic: str | None) -> Tracker:
    return Tracker(
        sender_id="o_questions",
        slots={"last_question": last_question, "last_topic": last_topic},
        latest_message={"text": text, "intent": {"name": intent}, "entities": []},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run(
    action: ActionAnswerPolicy | ActionAnswerCampaigns,
    text: str,
    last_question: str | None = None,
    last_topic: str | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The one message the action sends, and the slots it sets."""
    intent = "ask_policy" if isinstance(action, ActionAnswerPolicy) else "ask_campaigns"
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, tracker(text, intent, last_question, last_topic), {})
    [message] = dispatcher.messages
    return message, {event["name"]: event["value"] for event in events}


@pytest.fixture(autouse=True)
def pinned_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANSWER_DATE", "2026-11-23")


def test_a_policy_question_is_answered_and_kept() -> None:
    message, slots = run(ActionAnswerPolicy(), "创业担保贷款怎么申请")
    assert "创业担保贷款" in message["text"]
    assert "来源：" in message["text"]
    assert slots == {"last_question": "创业担保贷款怎么申请", "last_topic": "policy"}


def test_a_place_follow_up_keeps_the_policy_topic_for_that_place() -> None:
    message, slots = run(ActionAnswerPolicy(), "那湖北呢", "陕西创业担保贷款怎么申请", "policy")
    assert message["text"].startswith("湖北省：")
    assert "创业担保贷款" in message["text"]
    assert "陕西省" not in message["text"]
    assert slots["last_topic"] == "policy"
    assert "陕西" not in slots["last_question"] and "湖北" in slots["last_question"]


def test_an_aspect_follow_up_keeps_the_topic_and_the_place() -> None:
    message, _ = run(ActionAnswerPolicy(), "需要什么材料", "湖北创业担保贷款怎么申请", "policy")
    assert message["text"].startswith("湖北省：")
    assert "材料" in message["text"]


def test_a_follow_up_of_a_campaign_question_is_answered_from_the_calendar() -> None:
    # NLU may take "那遂宁呢" for a policy question; the topic before decides.
    message, slots = run(ActionAnswerPolicy(), "那遂宁呢", "春风行动什么时候", "campaigns")
    assert message["response"] == "utter_campaigns_dates"
    assert "遂宁" in message["campaign_lines"]
    assert slots["last_topic"] == "campaigns"


def test_a_follow_up_of_a_policy_question_taken_for_a_campaign_one_stays_policy() -> None:
    message, slots = run(ActionAnswerCampaigns(), "那陕西呢", "失业保险金怎么领", "policy")
    assert message["text"].startswith("陕西省：")
    assert slots["last_topic"] == "policy"


def test_a_new_question_starts_a_new_topic() -> None:
    message, slots = run(ActionAnswerCampaigns(), "金秋招聘月是几月", "失业保险金怎么领", "policy")
    assert message["response"] == "utter_campaigns_dates"
    assert slots == {"last_question": "金秋招聘月是几月", "last_topic": "campaigns"}


def test_a_follow_up_with_nothing_before_is_asked_as_it_is() -> None:
    message, slots = run(ActionAnswerPolicy(), "需要什么材料")
    assert "12333" in message["text"]
    assert slots["last_question"] == "需要什么材料"


def test_the_action_server_registers_every_action_of_the_package() -> None:
    # What `rasa run actions --actions actions` does at start-up; it fails on an unnamed action.
    executor = ActionExecutor()
    executor.register_package("actions")
    assert {
        "action_answer_policy",
        "action_answer_campaigns",
        "action_answer_fallback",
        "action_request_handoff",
        "action_search_jobs",
        "action_more_jobs",
        "action_subscribe_jobs",
        "action_unsubscribe_jobs",
    } <= set(executor.actions)


def test_a_campaign_question_the_calendar_cannot_answer_is_answered_from_the_notices() -> None:
    # Taken for a campaign question by NLU, it asks neither when nor what is on.
    message, slots = run(ActionAnswerCampaigns(), "失业保险金能网上申领吗")
    assert "线上申领" in message["text"]
    assert slots["last_topic"] == "policy"


@pytest.mark.parametrize(
    "text",
    [
        "最近有什么招聘会",
        "有哪些专场招聘活动",
        "哪里有招聘会",
        # Which events for a group.
        "有没有面向农民工的专场招聘",
        "退役军人有什么专场",
    ],
)
def test_a_campaign_question_asking_when_or_which_stays_with_the_calendar(text: str) -> None:
    message, slots = run(ActionAnswerCampaigns(), text)
    assert message["response"].startswith("utter_campaigns_")
    assert slots["last_topic"] == "campaigns"


def test_an_event_mentioned_in_passing_does_not_make_a_calendar_question() -> None:
    message, slots = run(ActionAnswerCampaigns(), "去招聘会之前要先办失业登记吗")
    assert "来源：" in message["text"] and "失业登记" in message["text"]
    assert slots["last_topic"] == "policy"


def fallback(
    text: str, last_question: str | None = None, last_topic: str | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    message = tracker(text, "nlu_fallback", last_question, last_topic)
    events = ActionAnswerFallback().run(dispatcher, message, {})
    return dispatcher.messages, events


def test_an_unplaced_message_the_notices_answer_gets_their_answer() -> None:
    [message], events = fallback("退捕渔民可以参加涉渔类职业技能培训吗")
    assert "涉渔类职业技能培训" in message["text"]
    assert "来源：陕西省人力资源和社会保障厅" in message["text"]
    assert {event["name"] for event in events} == {"last_question", "last_topic"}


def test_an_unplaced_message_the_notices_do_not_answer_gets_the_help_text() -> None:
    [message], events = fallback("asdfgh 12345")
    assert message["response"] == "utter_default"
    assert events == []


def test_an_unplaced_message_naming_a_campaign_gets_the_calendars_answer() -> None:
    [message], events = fallback("金秋招聘月")
    assert message["response"].startswith("utter_campaigns_dates")
    assert "金秋招聘月" in message["campaign_lines"]
    assert {event["value"] for event in events} >= {"campaigns"}


@pytest.mark.parametrize(
    ("text", "intent"),
    [("民營企業招聘月在哪幾個月", "search_jobs"), ("春风行动是干啥的呀", "greet")],
)
def test_a_request_that_reads_as_a_question_naming_a_campaign_gets_the_calendar(
    text: str, intent: str
) -> None:
    [message], events = respond(text, intent)
    assert message["response"].startswith("utter_campaigns_dates")
    assert {event["value"] for event in events} >= {"campaigns"}


def test_an_unplaced_follow_up_keeps_the_topic() -> None:
    [message], _ = fallback("那遂宁呢", "春风行动什么时候", "campaigns")
    assert message["response"] == "utter_campaigns_dates"


def respond(
    text: str, intent: str, entities: list[dict[str, Any]] | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    message = tracker(text, intent, None, None)
    message.latest_message["entities"] = entities or []
    events = ActionRespondOrAnswer().run(dispatcher, message, {})
    return dispatcher.messages, events


@pytest.mark.parametrize(
    ("text", "intent", "response"),
    [
        ("武汉市洪山区", "inform", "utter_default"),
        ("今天天气怎么样", "out_of_scope", "utter_out_of_scope"),
        ("你好", "greet", "utter_greet"),
        ("在吗", "greet", "utter_greet"),
        ("谢谢你", "thank", "utter_you_are_welcome"),
        ("你是机器人吗", "bot_challenge", "utter_iamabot"),
        ("你叫什么名字", "bot_challenge", "utter_iamabot"),
        ("再见", "goodbye", "utter_goodbye"),
        ("好的", "affirm", "utter_anything_else"),
        ("不用了", "deny", "utter_anything_else"),
    ],
)
def test_a_request_gets_its_own_response(text: str, intent: str, response: str) -> None:
    [message], events = respond(text, intent)
    assert message["response"] == response
    assert events == []


@pytest.mark.parametrize(
    ("text", "intent", "fact"),
    [
        ("农民工可以在常住地办失业登记吗", "register_unemployment", "常住地"),
        ("退捕渔民找工作有什么专门的培训吗", "search_jobs", "退捕渔民"),
        ("你好 创业担保贷款怎么申请", "greet", "创业担保贷款"),
        ("湖北大学生创业孵化基地叫什么名字", "bot_challenge", "孵化"),
        ("人社部那个10+N是什么意思", "goodbye", "10+N"),
        ("好的 那见习补贴怎么领呢", "affirm", "见习"),
    ],
)
def test_a_request_that_reads_as_a_question_the_notices_answer_gets_their_answer(
    text: str, intent: str, fact: str
) -> None:
    [message], events = respond(text, intent)
    assert fact in message["text"] and "来源：" in message["text"]
    assert {event["name"] for event in events} == {"last_question", "last_topic"}


@pytest.mark.parametrize("text", ["湖北的创业训练营是什么活动", "青年就业训练营有哪些活动"])
def test_an_activity_the_calendar_has_no_entry_for_is_answered_from_the_notices(text: str) -> None:
    message, slots = run(ActionAnswerCampaigns(), text)
    assert "训练营" in message["text"] and "来源：" in message["text"]
    assert slots["last_topic"] == "policy"


def test_a_policy_question_that_names_a_campaign_is_answered_from_the_calendar() -> None:
    message, slots = run(ActionAnswerPolicy(), "金秋招聘月主要帮哪些企业")
    assert message["response"] == "utter_campaigns_dates"
    assert "金秋招聘月" in message["campaign_lines"]
    assert slots["last_topic"] == "campaigns"


@pytest.mark.parametrize("text", ["哪些活动适合农民工", "有哪些活動適合高校畢業生"])
def test_a_policy_question_asking_which_events_suit_a_group_gets_the_calendars_list(
    text: str,
) -> None:
    # The notices answer these too (a migrant workers' policy passage), but what is asked is
    # which events there are.
    message, slots = run(ActionAnswerPolicy(), text)
    assert message["response"] == "utter_campaigns_for_groups"
    assert "百日千万网络招聘专项行动" in message["campaign_lines"]
    assert slots["last_topic"] == "campaigns"


def test_how_to_apply_for_what_the_region_has_no_rule_on_gets_no_other_rule() -> None:
    # Hubei's notice has no unemployment insurance rule; "申请" alone must not make its social
    # insurance subsidy the answer.
    not_found, slots = run(ActionAnswerPolicy(), "那湖北呢", "失业金怎么领", "policy")
    message, again = run(ActionAnswerPolicy(), "怎么申请", slots["last_question"], "policy")
    assert message["text"] == not_found["text"]
    assert "没有找到湖北省" in message["text"] and "12333" in message["text"]
    assert again["last_question"] == slots["last_question"]


def test_how_to_apply_after_an_answer_keeps_its_rule() -> None:
    message, slots = run(ActionAnswerPolicy(), "怎么申请", "失业金怎么领", "policy")
    assert message["text"].startswith("陕西省：") and "失业保险金" in message["text"]
    assert slots["last_question"] == "失业金怎么领 怎么申请"


def test_a_question_taken_for_a_handoff_request_is_answered() -> None:
    dispatcher = CollectingDispatcher()
    message = tracker("人社部给毕业生办的就业服务周啥时候", "human_handoff", None, None)
    events = ActionRequestHandoff().run(dispatcher, message, {})
    [answer] = dispatcher.messages
    assert answer["response"] == "utter_campaigns_dates"
    assert "11月下旬" in answer["campaign_lines"]
    assert {"event": "slot", "name": "last_topic", "value": "campaigns"} in [
        {key: event[key] for key in ("event", "name", "value")} for event in events
    ]


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("转人工", True),
        ("能不能让人社局的工作人员给我打电话", True),
        ("我想直接和人社局的人溝通", True),
        ("人社部给毕业生办的就业服务周啥时候", False),
    ],
)
def test_a_request_for_a_person_is_told_from_a_question(text: str, asks: bool) -> None:
    assert asks_for_a_person(text) is asks
