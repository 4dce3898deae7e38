"""`ask_policy` and `ask_campaigns`, follow-ups included.

After an answer the question is kept in the ``last_question`` slot and its topic (policy or
campaigns) in ``last_topic``. A follow-up ("那湖北呢", "需要什么材料") is joined to that question
and answered on its topic, whichever of the two intents NLU gave it; one that only asks more
("怎么申请") about a question the notices do not answer gets the same reply as that question.

The two intents are close, so the question's words have the last say: a campaign question that
neither names a campaign nor asks when or which events there are ("招聘会上要交押金吗") is
answered from the notices when they answer it; a policy question that names a campaign is
answered from the calendar (whose answer quotes the campaign's own section of its notice), and so
is one that asks which events there are for a group ("哪些活动适合农民工"), or one the notices do
not answer that asks when or which events there are.

A message NLU is unsure of (``nlu_fallback``) is answered from the calendar when it names a
campaign, from the notices when they answer it with confidence, else with the help text. So is a
message NLU took for a request, a greeting, thanks, goodbye, yes or no, for asking the bot's
name, or for something out of scope, when it reads as a question ("农民工能在常住地办失业登记吗"
is no request to register); else it gets that intent's own reply.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.campaigns import (
    answer_campaigns,
    asks_events_for_a_group,
    asks_the_calendar,
    names_a_campaign,
)
from actions.policy import answer_policy, notices_answer
from knowledge.follow_ups import asks_only_an_aspect, is_follow_up, join
from knowledge.places import load_places
from knowledge.policy_answers import says_any

LAST_QUESTION = "last_question"
LAST_TOPIC = "last_topic"
POLICY = "policy"
CAMPAIGNS = "campaigns"
ANSWERS = {POLICY: answer_policy, CAMPAIGNS: answer_campaigns}


def question_asked(tracker: Tracker, topic: str) -> tuple[str, str]:
    """The topic and the whole question of the latest message, which NLU took as ``topic``."""
    text = (tracker.latest_message.get("text") or "").strip()
    previous = tracker.get_slot(LAST_QUESTION)
    previous_topic = tracker.get_slot(LAST_TOPIC)
    places = load_places()
    if previous and previous_topic in ANSWERS and is_follow_up(text, places):
        # How to apply for, or what to bring for, what the notices do not answer is not answered
        # either: the question stays the one before, and so does its reply.
        if (
            previous_topic == POLICY
            and asks_only_an_aspect(text, places)
            and not notices_answer(previous)
        ):
            return previous_topic, previous
        return previous_topic, join(previous, text, places)
    return topic, text


def topic_answering(topic: str, question: str) -> str:
    """The topic whose answer fits ``question``, starting from the one NLU or a follow-up gave."""
    if topic == CAMPAIGNS and not asks_the_calendar(question) and notices_answer(question):
        return POLICY
    if topic == POLICY and (names_a_campaign(question) or asks_events_for_a_group(question)):
        return CAMPAIGNS
    if topic == POLICY and not notices_answer(question) and asks_the_calendar(question):
        return CAMPAIGNS
    return topic


def answer_question(
    dispatcher: CollectingDispatcher, tracker: Tracker, topic: str
) -> list[dict[str, Any]]:
    """Answer the latest message on its topic and keep it for a follow-up."""
    topic, question = question_asked(tracker, topic)
    return answer_on(dispatcher, topic_answering(topic, question), question)


def answer_on(dispatcher: CollectingDispatcher, topic: str, question: str) -> list[dict[str, Any]]:
    """Answer ``question`` on ``topic`` and keep both for a follow-up."""
    ANSWERS[topic](dispatcher, question)
    return [SlotSet(LAST_QUESTION, question), SlotSet(LAST_TOPIC, topic)]


class ActionAnswerPolicy(Action):
    def name(self) -> str:
        return "action_answer_policy"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        return answer_question(dispatcher, tracker, POLICY)


class ActionAnswerCampaigns(Action):
    def name(self) -> str:
        return "action_answer_campaigns"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        return answer_question(dispatcher, tracker, CAMPAIGNS)


class ActionAnswerFallback(Action):
    """For a message NLU could not place: the notices' answer if they have a confident one."""

    def name(self) -> str:
        return "action_answer_fallback"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        topic, question = question_asked(tracker, POLICY)
        if topic == CAMPAIGNS or names_a_campaign(question):
            return answer_on(dispatcher, CAMPAIGNS, question)
        if notices_answer(question):
            return answer_on(dispatcher, topic, question)
        dispatcher.utter_message(response="utter_default")
        return []


# Intents answered with a fixed response, unless the message is a question the notices answer:
# NLU takes a question for a greeting, thanks or goodbye now and then ("…平台要注册吗" for greet,
# "…10+N啥意思" for goodbye), or for asking the bot's name ("…求职比赛叫啥名字").
OWN_RESPONSES = {
    "inform": "utter_default",
    "out_of_scope": "utter_out_of_scope",
    "greet": "utter_greet",
    "thank": "utter_you_are_welcome",
    "bot_challenge": "utter_iamabot",
    "goodbye": "utter_goodbye",
    "affirm": "utter_anything_else",
    "deny": "utter_anything_else",
}
# What makes a message read as a question rather than a request ("我要办失业登记").
QUESTION_WORDS = (
    "吗",
    "么",
    "呢",
    "?",
    "？",
    "怎么",
    "怎样",
    "如何",
    "什么",
    "啥",
    "哪",
    "多少",
    "几",
    "是否",
    "能不能",
    "可不可以",
    "会不会",
    "是不是",
    "有没有",
    "合法",
)


def reads_as_question(text: str) -> bool:
    return says_any(text, QUESTION_WORDS)


def answer_if_asked(
    dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[dict[str, Any]] | None:
    """The answer to the latest message when it reads as a question that names a campaign or
    that the notices answer with confidence, and names no job ("有会计的岗位吗" is a search);
    None, with nothing sent, otherwise."""
    text = tracker.latest_message.get("text") or ""
    names_a_job = any(
        entity.get("entity") == "occupation"
        for entity in tracker.latest_message.get("entities") or []
    )
    if names_a_job or not reads_as_question(text):
        return None
    if names_a_campaign(text):
        return answer_question(dispatcher, tracker, CAMPAIGNS)
    if notices_answer(text):
        return answer_question(dispatcher, tracker, POLICY)
    return None


class ActionRespondOrAnswer(Action):
    """For a request or an out-of-scope message: the notices' answer when it reads as a question
    they answer with confidence and names no job ("有会计的岗位吗" is a search), else the
    intent's own response."""

    def name(self) -> str:
        return "action_respond_or_answer"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        answered = answer_if_asked(dispatcher, tracker)
        if answered is not None:
            return answered
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        dispatcher.utter_message(response=OWN_RESPONSES.get(intent or "", "utter_default"))
        return []
