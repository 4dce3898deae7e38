"""Human handoff: record the request so staff see it, then tell the user what happens next."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.services import database_url
from storage.db import session_scope
from storage.handoffs import request_handoff

logger = logging.getLogger(__name__)


class ActionRequestHandoff(Action):
    def name(self) -> str:
        return "action_request_handoff"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        with session_scope(database_url()) as session:
            created = request_handoff(session, tracker.sender_id)
        logger.info("handoff requested (new=%s)", created)
        dispatcher.utter_message(response="utter_handoff_requested")
        return []
