"""Human handoff: record the request so staff see it, then tell the user what happens next.

A message that does not ask for a person and reads as a question the bot answers is answered
instead: NLU now and then takes a question that mentions the ministry or a service for a request
to talk to staff ("人社部年底给毕业生办的就业服务周啥时候").
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.questions import answer_if_asked
from actions.services import database_url
from knowledge.policy_answers import says_any
from storage.db import session_scope
from storage.handoffs import request_handoff

logger = logging.getLogger(__name__)

# Words that ask for a person rather than an answer ("转人工", "找工作人员", "要真人").
PERSON_WORDS = (
    "人工",
    "真人",
    "活人",
    "客服",
    "工作人员",
    "经办人员",
    "找人",
    "人来",
    "机器",
    "沟通",
    "联系我",
)


def asks_for_a_person(text: str) -> bool:
    return says_any(text, PERSON_WORDS)


class ActionRequestHandoff(Action):
    def name(self) -> str:
        return "action_request_handoff"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        if not asks_for_a_person(tracker.latest_message.get("text") or ""):
            answered = answer_if_asked(dispatcher, tracker)
            if answered is not None:
                return answered
        with session_scope(database_url()) as session:
            created = request_handoff(session, tracker.sender_id)
        logger.info("handoff requested (new=%s)", created)
        dispatcher.utter_message(response="utter_handoff_requested")
        return []
