"""Unemployment registration (失业登记) by chat: the form, its summary, submitting, corrections,
cancelling, and the status a user asks for.

Names, ID numbers and phones arrive as placeholders (the webhook sealed them,
``registration.personal``); the slots keep the placeholders, and only submitting opens them, to
seal them again into the registration. A rejected answer gets its reason (``utter_invalid_<code>``)
and the question again; a second rejection in a row also offers a way out. A question asked
instead of an answer ("失业金怎么领") is answered, then the form asks again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.questions import CAMPAIGNS, POLICY, answer_if_asked, answer_question
from actions.services import database_url, settings, today
from registration.answers import (
    InvalidAnswer,
    looks_like_question,
    normalise,
    parse_free_text,
    parse_group,
    parse_leave_reason,
    parse_name,
    parse_phone,
    parse_place_kind,
    parse_wants_training,
)
from registration.identity import check_id_number
from registration.ledger import services_of
from registration.personal import (
    ID_NUMBER,
    NAME,
    PHONE,
    forget_values,
    placeholder,
    placeholders_in,
    seal_one,
    token_in,
    value_of,
)
from registration.places import parse_place, parse_wanted
from registration.replies import briefing_text, recommendations_text, statuses_text
from registration.store import RegistrationAnswers, registrations_of, submit
from registration.welcome import give_first_services
from storage.db import session_scope
from storage.models import utcnow

logger = logging.getLogger(__name__)

FORM = "registration_form"
ASKED = (
    "reg_name",
    "reg_id_number",
    "reg_phone",
    "reg_place",
    "reg_place_kind",
    "reg_group",
    "reg_last_job",
    "reg_leave_reason",
    "reg_wanted",
    "reg_training",
)
DERIVED = ("reg_city", "reg_district", "reg_wanted_job", "reg_wanted_city")
CONFIRMING = "registration_confirming"
STARTED = "registration_started"
REJECTIONS = "reg_rejections"
FIELD = "registration_field"
# The slots each correctable field clears; the form then asks for it again.
FIELD_SLOTS = {
    "name": ("reg_name",),
    "id_number": ("reg_id_number",),
    "phone": ("reg_phone",),
    "place": ("reg_place", "reg_city", "reg_district", "reg_place_kind"),
    "group": ("reg_group",),
    "last_job": ("reg_last_job", "reg_leave_reason"),
    "wanted": ("reg_wanted", "reg_wanted_job", "reg_wanted_city"),
    "training": ("reg_training",),
}
QUESTION_INTENTS = {"ask_policy": POLICY, "ask_campaigns": CAMPAIGNS}
NONE_WORDS = ("无", "没有", "没工作过", "没有工作过", "没上过班", "刚毕业", "没", "暂无")
TRAINING_WORDS = {True: "需要", False: "不需要"}
WRONG_KIND = {NAME: "name_invalid", ID_NUMBER: "id_length", PHONE: "phone_invalid"}
PERSONAL_SLOTS = {NAME: "reg_name", ID_NUMBER: "reg_id_number", PHONE: "reg_phone"}


def cleared() -> list[EventType]:
    """Events that forget a registration in progress."""
    return [SlotSet(slot, None) for slot in (*ASKED, *DERIVED)] + [
        SlotSet(CONFIRMING, False),
        SlotSet(REJECTIONS, 0),
        SlotSet(STARTED, False),
    ]


def in_progress(tracker: Tracker) -> bool:
    return tracker.active_loop_name == FORM or bool(tracker.get_slot(CONFIRMING))


def personal(tracker: Tracker, kind: str, value: Any, parse: Callable[[str], str]) -> str:
    """The placeholder to keep for a personal answer, once its value passed ``parse``; raises
    ``InvalidAnswer``. A value that reached Rasa in clear (no webhook) is sealed here."""
    text = str(value or "")
    token = token_in(text, kind)
    with session_scope(database_url()) as session:
        if token is not None:
            clear = value_of(session, settings().data_key, tracker.sender_id, kind, token)
            if clear is None:
                raise InvalidAnswer("not_sealed")
            parse(clear)
            return placeholder(kind, token)
        if placeholders_in(text):  # another kind of personal value: an ID where the phone goes
            raise InvalidAnswer(WRONG_KIND[kind])
        return seal_one(session, settings().data_key, tracker.sender_id, kind, parse(text))


def free_text(text: str) -> str:
    """A free answer (a job, a reason): never a personal value, never a question."""
    if placeholders_in(text) or looks_like_question(normalise(text)):
        raise InvalidAnswer("text_invalid")
    return parse_free_text(text)


# Each answer's check: the slots it sets, or ``InvalidAnswer``.


def _name(tracker: Tracker, text: str) -> dict[str, Any]:
    return {"reg_name": personal(tracker, NAME, text, parse_name)}


def _id_number(tracker: Tracker, text: str) -> dict[str, Any]:
    def parse(clear: str) -> str:
        return check_id_number(clear, today()).number

    return {"reg_id_number": personal(tracker, ID_NUMBER, text, parse)}


def _phone(tracker: Tracker, text: str) -> dict[str, Any]:
    return {"reg_phone": personal(tracker, PHONE, text, parse_phone)}


def _place(tracker: Tracker, text: str) -> dict[str, Any]:
    city, district = parse_place(text)
    return {"reg_place": f"{city}{district}", "reg_city": city, "reg_district": district}


def _place_kind(tracker: Tracker, text: str) -> dict[str, Any]:
    return {"reg_place_kind": parse_place_kind(text)}


def _group(tracker: Tracker, text: str) -> dict[str, Any]:
    return {"reg_group": parse_group(text)}


def _last_job(tracker: Tracker, text: str) -> dict[str, Any]:
    job = free_text(text)
    if job.rstrip("。.！!") in NONE_WORDS:
        graduate = tracker.get_slot("reg_group") == "高校毕业生"
        return {"reg_last_job": "无", "reg_leave_reason": "毕业未就业" if graduate else "其他"}
    return {"reg_last_job": job}


def _leave_reason(tracker: Tracker, text: str) -> dict[str, Any]:
    free_text(text)
    return {"reg_leave_reason": parse_leave_reason(text)}


def _wanted(tracker: Tracker, text: str) -> dict[str, Any]:
    free_text(text)
    job, city = parse_wanted(text, tracker.get_slot("reg_city") or "")
    return {"reg_wanted": text, "reg_wanted_job": job, "reg_wanted_city": city}


def _training(tracker: Tracker, text: str) -> dict[str, Any]:
    return {"reg_training": TRAINING_WORDS[parse_wants_training(text)]}


CHECKS: dict[str, Callable[[Tracker, str], dict[str, Any]]] = {
    "reg_name": _name,
    "reg_id_number": _id_number,
    "reg_phone": _phone,
    "reg_place": _place,
    "reg_place_kind": _place_kind,
    "reg_group": _group,
    "reg_last_job": _last_job,
    "reg_leave_reason": _leave_reason,
    "reg_wanted": _wanted,
    "reg_training": _training,
}


class ValidateRegistrationForm(FormValidationAction):
    """Rasa SDK calls ``validate_<slot>`` for each answer; every one runs ``CHECKS[slot]``."""

    def name(self) -> str:
        return "validate_registration_form"

    def _checked(
        self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        """The answer's slots, or the reason it was refused and None; a question typed instead
        of an answer is answered."""
        if value is None:
            # Rasa SDK validates every slot set since the user spoke, and starting or
            # correcting clears some: nothing was answered, so nothing is refused.
            return {slot: None}
        text = str(value)
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent in QUESTION_INTENTS and looks_like_question(normalise(text)):
            events = answer_question(dispatcher, tracker, QUESTION_INTENTS[intent])
            dispatcher.utter_message(response="utter_registration_continue")
            answered = {
                event["name"]: event["value"] for event in events if event.get("event") == "slot"
            }
            return {slot: None, **answered}
        try:
            return {**CHECKS[slot](tracker, text), REJECTIONS: 0}
        except InvalidAnswer as refused:
            dispatcher.utter_message(response=f"utter_invalid_{refused.code}")
            rejections = int(tracker.get_slot(REJECTIONS) or 0) + 1
            if rejections >= 2:
                dispatcher.utter_message(response="utter_registration_stuck")
            return {slot: None, REJECTIONS: rejections}

    def validate_reg_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._checked("reg_name", value, dispatcher, tracker)

    def validate_reg_id_number(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._checked("reg_id_number", value, dispatcher, tracker)

    def validate_reg_phone(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._checked("reg_phone", value, dispatcher, tracker)

    def validate_reg_place(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._checked("reg_place", value, dispatcher, tracker)

    def validate_reg_place_kind(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._checked("reg_place_kind", value, dispatcher, tracker)

    def validate_reg_group(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._checked("reg_group", value, dispatcher, tracker)

    def validate_reg_last_job(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._checked("reg_last_job", value, dispatcher, tracker)

    def validate_reg_leave_reason(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._checked("reg_leave_reason", value, dispatcher, tracker)

    def validate_reg_wanted(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._checked("reg_wanted", value, dispatcher, tracker)

    def validate_reg_training(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._checked("reg_training", value, dispatcher, tracker)


class ActionStartRegistration(Action):
    """Start the form, unless the message reads as a question the notices answer
    ("失业登记要带什么材料")."""

    def name(self) -> str:
        return "action_start_registration"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        answered = answer_if_asked(dispatcher, tracker)
        if answered is not None:
            return [*answered, SlotSet(STARTED, False)]
        dispatcher.utter_message(response="utter_registration_start")
        return [*cleared(), SlotSet(STARTED, True)]  # the rules start the form


class ActionSummariseRegistration(Action):
    def name(self) -> str:
        return "action_summarise_registration"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_registration_summary")
        return [SlotSet(CONFIRMING, True)]


def answers_from(tracker: Tracker, opened: dict[str, str]) -> RegistrationAnswers:
    slot = tracker.get_slot
    return RegistrationAnswers(
        name=opened[NAME],
        id_number=opened[ID_NUMBER],
        phone=opened[PHONE],
        city=slot("reg_city"),
        district=slot("reg_district"),
        place_kind=slot("reg_place_kind"),
        group=slot("reg_group"),
        last_job=slot("reg_last_job"),
        leave_reason=slot("reg_leave_reason"),
        wanted_job=slot("reg_wanted_job"),
        wanted_city=slot("reg_wanted_city"),
        wants_training=slot("reg_training") == TRAINING_WORDS[True],
    )


class ActionSubmitRegistration(Action):
    """Store the confirmed registration (待审核), give its reference, the first policy briefing
    and postings that fit. When the database fails, everything stays for another "确认"."""

    def name(self) -> str:
        return "action_submit_registration"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        data_key = settings().data_key
        try:
            with session_scope(database_url()) as session:
                opened: dict[str, str] = {}
                for kind, slot in PERSONAL_SLOTS.items():
                    token = token_in(tracker.get_slot(slot) or "", kind)
                    value = (
                        value_of(session, data_key, tracker.sender_id, kind, token)
                        if token
                        else None
                    )
                    if value is None:
                        dispatcher.utter_message(response="utter_registration_expired")
                        return cleared()
                    opened[kind] = value
                registration, created = submit(
                    session, tracker.sender_id, answers_from(tracker, opened), data_key, utcnow()
                )
                briefing, postings = give_first_services(session, registration, today())
                reference = registration.reference
                forget_values(session, tracker.sender_id)  # the registration has its own copies
        except SQLAlchemyError:
            logger.exception("a confirmed registration could not be stored")
            dispatcher.utter_message(response="utter_registration_save_failed")
            return [SlotSet(CONFIRMING, True)]
        dispatcher.utter_message(
            response="utter_registration_submitted" if created else "utter_registration_updated",
            reference=reference,
        )
        dispatcher.utter_message(text=briefing_text(briefing))
        dispatcher.utter_message(text=recommendations_text(postings))
        return cleared()


class ActionCorrectRegistration(Action):
    """Clear the field the user names so the form asks it again (during the form, or from the
    summary); after submitting, say how to change a registration."""

    def name(self) -> str:
        return "action_correct_registration"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        # The rules read what comes next from registration_confirming: None nothing in
        # progress, True still at the summary, False the form (again).
        if not in_progress(tracker):
            dispatcher.utter_message(response="utter_correct_after_submit")
            return [SlotSet(CONFIRMING, None)]
        from_summary = tracker.active_loop_name != FORM
        field = next(tracker.get_latest_entity_values(FIELD), None)
        if field not in FIELD_SLOTS:
            dispatcher.utter_message(response="utter_registration_field_unknown")
            return [SlotSet(CONFIRMING, from_summary)]
        events: list[EventType] = [SlotSet(slot, None) for slot in FIELD_SLOTS[field]]
        return [*events, SlotSet(REJECTIONS, 0), SlotSet(CONFIRMING, False)]


class ActionCancelRegistration(Action):
    def name(self) -> str:
        return "action_cancel_registration"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        started = (
            any(tracker.get_slot(slot) for slot in ASKED)
            or tracker.get_slot(CONFIRMING)
            or tracker.get_slot(STARTED)
        )
        with session_scope(database_url()) as session:
            forget_values(session, tracker.sender_id)
        dispatcher.utter_message(
            response="utter_registration_cancelled" if started else "utter_nothing_to_cancel"
        )
        return cleared()


class ActionCheckRegistration(Action):
    """The user's own registrations, their status and next steps; a question the notices answer
    ("失业登记多久能审核完") when they have none."""

    def name(self) -> str:
        return "action_check_registration"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        with session_scope(database_url()) as session:
            entries = [
                (registration, services_of(session, registration.id))
                for registration in registrations_of(session, tracker.sender_id)
            ]
            text = statuses_text(entries)
        if entries:
            dispatcher.utter_message(text=text)
            return []
        answered = answer_if_asked(dispatcher, tracker)
        if answered is not None:
            return answered
        dispatcher.utter_message(response="utter_no_registration")
        return []
