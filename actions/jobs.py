"""Job search by chat, its next page ("更多"), and subscriptions to new postings.

A search keeps its criteria in the ``job_search`` slot and how many results were shown in
``job_shown``: "更多" shows the next page, and "订阅" with no criteria of its own subscribes to
that search. A message NLU took for a search that names no city, occupation, pay, part-time work
or "near me", and reads as a question the notices answer ("有就业见习的岗位吗"), gets their answer.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.questions import answer_if_asked
from actions.services import database_url, settings, today
from jobs.criteria import SearchCriteria, criteria_from
from jobs.listing import no_match_text, no_more_text, page_text
from jobs.search import count_matching, search
from jobs.subscriptions import subscribe, unsubscribe
from storage.db import session_scope
from storage.followers import place_of

logger = logging.getLogger(__name__)

JOB_SEARCH = "job_search"
JOB_SHOWN = "job_shown"

ASK_FOR_PLACE = (
    "想找离您近的岗位，请先发送您的位置：点输入框旁的“+”，选“位置”。"
    "也可以直接告诉我城市和岗位，比如“武汉的普工”。"
)
NO_SEARCH_YET = "您还没有找过岗位哦。告诉我想找的城市和岗位，比如“武汉的会计”“西安有什么兼职”。"
ASK_WHAT_TO_SUBSCRIBE = (
    "想订阅什么样的岗位呢？告诉我城市和岗位，比如“订阅武汉的会计岗位”；"
    "想收到所有新岗位，回复“订阅全部岗位”。"
)
EVERYTHING_WORDS = ("全部", "所有", "任何", "都行", "都可以")


def message_criteria(tracker: Tracker) -> SearchCriteria:
    message = tracker.latest_message
    return criteria_from(message.get("text") or "", message.get("entities") or [])


def names_a_job_criterion(criteria: SearchCriteria) -> bool:
    """Anything besides a group: a question about a group is often a policy question."""
    return bool(
        criteria.city
        or criteria.occupation
        or criteria.salary_floor
        or criteria.part_time is not None
        or criteria.near
    )


def finds_nothing_but_a_place(criteria: SearchCriteria) -> bool:
    """A search by city (and group) alone that no posting matches."""
    if criteria.occupation or criteria.salary_floor or criteria.part_time is not None:
        return False
    if criteria.near:
        return False
    with session_scope(database_url()) as session:
        return count_matching(session, criteria, today()) == 0


def show_page(
    dispatcher: CollectingDispatcher, tracker: Tracker, criteria: SearchCriteria, offset: int
) -> list[dict[str, Any]]:
    with session_scope(database_url()) as session:
        place = place_of(session, tracker.sender_id)
        if criteria.near and place is None:
            dispatcher.utter_message(text=ASK_FOR_PLACE)
            return [SlotSet(JOB_SEARCH, criteria.to_json()), SlotSet(JOB_SHOWN, 0)]
        page = search(session, criteria, today(), place=place, offset=offset)
        if page.total == 0:
            text, shown = no_match_text(criteria), 0
        elif not page.postings:
            text, shown = no_more_text(), 0
        else:
            text, shown = page_text(page, criteria)
    dispatcher.utter_message(text=text)
    return [SlotSet(JOB_SEARCH, criteria.to_json()), SlotSet(JOB_SHOWN, offset + shown)]


class ActionSearchJobs(Action):
    def name(self) -> str:
        return "action_search_jobs"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        criteria = message_criteria(tracker)
        if not names_a_job_criterion(criteria) or finds_nothing_but_a_place(criteria):
            # "遂宁打鱼的上岸了 找工作有人帮不" names only a place, and no posting there: the
            # notices' answer, when they have one, serves better than "no posting found".
            answered = answer_if_asked(dispatcher, tracker)
            if answered is not None:
                return answered
        return show_page(dispatcher, tracker, criteria, offset=0)


class ActionMoreJobs(Action):
    def name(self) -> str:
        return "action_more_jobs"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        criteria = SearchCriteria.from_json(tracker.get_slot(JOB_SEARCH))
        if criteria is None:
            dispatcher.utter_message(text=NO_SEARCH_YET)
            return []
        return show_page(
            dispatcher, tracker, criteria, offset=int(tracker.get_slot(JOB_SHOWN) or 0)
        )


class ActionSubscribeJobs(Action):
    def name(self) -> str:
        return "action_subscribe_jobs"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        text = tracker.latest_message.get("text") or ""
        criteria = replace(message_criteria(tracker), near=False)
        if criteria.is_empty and not any(word in text for word in EVERYTHING_WORDS):
            last = SearchCriteria.from_json(tracker.get_slot(JOB_SEARCH))
            if last is None or last.is_empty:
                dispatcher.utter_message(text=ASK_WHAT_TO_SUBSCRIBE)
                return []
            criteria = replace(last, near=False)
        with session_scope(database_url()) as session:
            created = subscribe(session, tracker.sender_id, criteria)
        what = criteria.describe()
        if created:
            limit = settings().push_daily_limit
            dispatcher.utter_message(
                text=f"订阅好了！以后有“{what}”的新岗位，会第一时间推送给您"
                f"（每天最多{limit}条）。回复“退订”可随时取消。"
            )
        else:
            dispatcher.utter_message(
                text=f"您已经订阅过“{what}”的岗位了，有新岗位会推送给您。回复“退订”可随时取消。"
            )
        logger.info("subscription kept (new=%s)", created)
        return []


class ActionUnsubscribeJobs(Action):
    def name(self) -> str:
        return "action_unsubscribe_jobs"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        with session_scope(database_url()) as session:
            removed = unsubscribe(session, tracker.sender_id)
        if removed:
            dispatcher.utter_message(
                text="已为您取消全部岗位订阅，之后不会再推送岗位消息。想再订阅时，回复“订阅”就行。"
            )
        else:
            dispatcher.utter_message(text="您目前没有订阅岗位推送，不会收到推送消息。")
        return []
