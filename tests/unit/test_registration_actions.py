"""actions.registration: the form's answers, submitting, correcting, cancelling and the status,
against SQLite with the personal values sealed as the webhook seals them."""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from collections.abc import Callable
from datetime import date, datetime, timezone
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import delete, select, text
from sqlalchemy.exc import OperationalError

import actions.registration
from actions.registration import (
    ASKED,
    CONFIRMING,
    DERIVED,
    FORM,
    REJECTIONS,
    STARTED,
    ActionCancelRegistration,
    ActionCheckRegistration,
    ActionCorrectRegistration,
    ActionStartRegistration,
    ActionSubmitRegistration,
    ActionSummariseRegistration,
    ValidateRegistrationForm,
)
from registration.ledger import record_service
from registration.personal import (
    ID_NUMBER,
    NAME,
    PHONE,
    placeholders_in,
    seal_one,
    seal_values,
    value_of,
)
from registration.replies import status_text
from registration.store import RegistrationAnswers, decide, submit
from registration.welcome import briefings
from settings import PROJECT_ROOT
from storage.db import session_scope
from storage.models import (
    CAREER_GUIDANCE,
    JOB_RECOMMENDATION,
    POLICY_BRIEFING,
    REGISTRATION_PENDING,
    PersonalValue,
    Registration,
    ServiceRecord,
    utcnow,
)
from storage.sealed import unseal

from .support import DATA_KEY, add_posting

TODAY = date(2026, 11, 23)
OPENID = "o_registrant"
OTHER = "o_someone_else"
ROOT = Path(__file__).resolve().parents[2]
DOMAIN = yaml.safe_load((ROOT / "bot/domain/registration.yml").read_text(encoding="utf-8"))
RULES = yaml.safe_load((ROOT / "bot/data/rules/registration.yml").read_text(encoding="utf-8"))

ID_A = "42010219900328123X"
ID_B = "610113198805124519"
ID_C = "110101198501010025"
TOO_YOUNG = "420102201201011230"
RETIRED = "420102196001011232"
PHONE_VALUE = "13812345678"
PLACEHOLDER = re.compile(r"⟦(姓名|身份证号|手机号):[a-z2-7]{12}⟧")


@pytest.fixture
def db(database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The actions pointed at this database, with the test data key, on TODAY."""
    monkeypatch.setattr(actions.registration, "database_url", lambda: database_url)
    monkeypatch.setattr(
        actions.registration, "settings", lambda: SimpleNamespace(data_key=DATA_KEY)
    )
    monkeypatch.setenv("ANSWER_DATE", TODAY.isoformat())
    return database_url


def tracker(
    typed: str = "",
    intent: str = "inform",
    slots: dict[str, Any] | None = None,
    sender: str = OPENID,
    in_form: bool = True,
    entities: list[dict[str, Any]] | None = None,
    events: list[dict[str, Any]] | None = None,
) -> Tracker:
    return Tracker(
        sender_id=sender,
        slots=dict(slots or {}),
        latest_message={"text": typed, "intent": {"name": intent}, "entities": entities or []},
        events=events or [],
        paused=False,
        followup_action=None,
        active_loop={"name": FORM} if in_form else {},
        latest_action_name="action_listen",
    )


def run(action: Action, message: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The messages the action sends and the events it returns."""
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, message, {})
    return dispatcher.messages, events


def responses(messages: list[dict[str, Any]]) -> list[str | None]:
    return [message.get("response") for message in messages]


def cleared_events() -> list[dict[str, Any]]:
    return [SlotSet(slot, None) for slot in (*ASKED, *DERIVED)] + [
        SlotSet(CONFIRMING, False),
        SlotSet(REJECTIONS, 0),
        SlotSet(STARTED, False),
    ]


def typed_via_webhook(
    database_url: str, typed: str, expects: str | None, sender: str = OPENID
) -> str:
    """What Rasa receives when ``sender`` types ``typed`` at a question expecting ``expects``."""
    return seal_values(database_url, DATA_KEY, sender, f"msg:{uuid.uuid4().int}", typed, expects)


def sealed_alone(database_url: str, kind: str, value: str, sender: str = OPENID) -> str:
    with session_scope(database_url) as session:
        return seal_one(session, DATA_KEY, sender, kind, value)


def value_behind(database_url: str, slot_value: str, kind: str, sender: str = OPENID) -> str | None:
    [(found, token)] = placeholders_in(slot_value)
    assert found == kind
    with session_scope(database_url) as session:
        return value_of(session, DATA_KEY, sender, kind, token)


# -- answers the form takes -----------------------------------------------------------------------

Validator = Callable[..., dict[str, Any]]


def validate(
    slot: str, value: str, slots: dict[str, Any] | None = None, intent: str = "inform"
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """What ``validate_<slot>`` sets for ``value``, and the messages it sends."""
    dispatcher = CollectingDispatcher()
    method: Validator = getattr(ValidateRegistrationForm(), f"validate_{slot}")
    result = method(value, dispatcher, tracker(value, intent, slots), DOMAIN)
    return result, dispatcher.messages


@pytest.mark.parametrize(
    ("typed", "expects", "value"),
    [
        pytest.param("张伟", NAME, "张伟", id="name"),
        pytest.param("我叫王小明", NAME, "王小明", id="name-said"),
        pytest.param("买买提·艾力", NAME, "买买提·艾力", id="dotted-name"),
    ],
)
def test_a_name_is_kept_as_its_placeholder(db: str, typed: str, expects: str, value: str) -> None:
    received = typed_via_webhook(db, typed, expects)

    result, messages = validate("reg_name", received)

    assert result == {"reg_name": received, REJECTIONS: 0}
    assert messages == []
    assert value_behind(db, received, NAME) == value


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param(ID_A, id="plain"),
        pytest.param("420102 19900328 123x", id="spaced-lower-x"),
        pytest.param("身份证号：４２０１０２１９９００３２８１２３Ｘ", id="labelled-full-width"),
    ],
)
def test_an_id_number_is_kept_as_its_placeholder(db: str, typed: str) -> None:
    received = typed_via_webhook(db, typed, ID_NUMBER)

    result, messages = validate("reg_id_number", received)

    [(kind, token)] = placeholders_in(received)
    assert result == {"reg_id_number": f"⟦身份证号:{token}⟧", REJECTIONS: 0}
    assert messages == []
    assert value_behind(db, result["reg_id_number"], ID_NUMBER) == ID_A


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param(PHONE_VALUE, id="plain"),
        pytest.param("+86 138 1234 5678", id="plus86"),
        pytest.param("0086 13812345678", id="0086"),
        pytest.param("手机138-1234-5678", id="labelled-hyphens"),
    ],
)
def test_a_phone_is_kept_as_its_placeholder(db: str, typed: str) -> None:
    received = typed_via_webhook(db, typed, PHONE)

    result, messages = validate("reg_phone", received)

    assert messages == []
    assert PLACEHOLDER.fullmatch(result["reg_phone"]) and result[REJECTIONS] == 0
    assert value_behind(db, result["reg_phone"], PHONE) == PHONE_VALUE


@pytest.mark.parametrize(
    ("slot", "kind", "typed", "value"),
    [
        ("reg_name", NAME, "张伟", "张伟"),
        ("reg_name", NAME, "我叫 王小明。", "王小明"),
        ("reg_id_number", ID_NUMBER, ID_A, ID_A),
        ("reg_id_number", ID_NUMBER, "身份证号是42010219900328123x", ID_A),
        ("reg_phone", PHONE, "+86 138-1234-5678", PHONE_VALUE),
    ],
)
def test_a_clear_value_that_bypassed_the_webhook_is_sealed_by_the_action(
    db: str, slot: str, kind: str, typed: str, value: str
) -> None:
    result, messages = validate(slot, typed)

    assert messages == []
    assert PLACEHOLDER.fullmatch(result[slot])
    assert value not in result[slot]
    assert value_behind(db, result[slot], kind) == value


@pytest.mark.parametrize(
    ("slot", "answer", "slots", "expected"),
    [
        pytest.param(
            "reg_place",
            "武汉市洪山区",
            {},
            {"reg_place": "武汉洪山区", "reg_city": "武汉", "reg_district": "洪山区"},
            id="place",
        ),
        pytest.param(
            "reg_place",
            "在西安 雁塔區登记",
            {},
            {"reg_place": "西安雁塔区", "reg_city": "西安", "reg_district": "雁塔区"},
            id="place-traditional",
        ),
        pytest.param("reg_place_kind", "2", {}, {"reg_place_kind": "常住地"}, id="kind-number"),
        pytest.param("reg_place_kind", "户口在这", {}, {"reg_place_kind": "户籍地"}, id="kind"),
        pytest.param("reg_group", "1", {}, {"reg_group": "高校毕业生"}, id="group-number"),
        pytest.param("reg_group", "农民工", {}, {"reg_group": "农民工"}, id="group"),
        pytest.param("reg_last_job", "会计", {}, {"reg_last_job": "会计"}, id="last-job"),
        pytest.param(
            "reg_last_job",
            "无",
            {"reg_group": "高校毕业生"},
            {"reg_last_job": "无", "reg_leave_reason": "毕业未就业"},
            id="no-job-graduate",
        ),
        pytest.param(
            "reg_last_job",
            "没有。",
            {"reg_group": "农民工"},
            {"reg_last_job": "无", "reg_leave_reason": "其他"},
            id="no-job-other-group",
        ),
        pytest.param(
            "reg_leave_reason", "合同到期了", {}, {"reg_leave_reason": "合同到期"}, id="reason"
        ),
        pytest.param(
            "reg_leave_reason",
            "被公司裁员",
            {},
            {"reg_leave_reason": "单位裁员或解除合同"},
            id="reason-laid-off",
        ),
        pytest.param(
            "reg_wanted",
            "想在武汉找会计的工作",
            {"reg_city": "西安"},
            {
                "reg_wanted": "想在武汉找会计的工作",
                "reg_wanted_job": "会计",
                "reg_wanted_city": "武汉",
            },
            id="wanted-with-city",
        ),
        pytest.param(
            "reg_wanted",
            "保安",
            {"reg_city": "西安"},
            {"reg_wanted": "保安", "reg_wanted_job": "保安", "reg_wanted_city": "西安"},
            id="wanted-where-registered",
        ),
        pytest.param("reg_training", "要", {}, {"reg_training": "需要"}, id="training-yes"),
        pytest.param("reg_training", "不用了", {}, {"reg_training": "不需要"}, id="training-no"),
        pytest.param("reg_training", "2", {}, {"reg_training": "不需要"}, id="training-2"),
    ],
)
def test_a_good_answer_sets_its_slots(
    db: str, slot: str, answer: str, slots: dict[str, Any], expected: dict[str, Any]
) -> None:
    result, messages = validate(slot, answer, {**slots, REJECTIONS: 1})

    assert result == {**expected, REJECTIONS: 0}
    assert messages == []


def test_the_whole_validation_action_returns_the_derived_slots(db: str) -> None:
    events = [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "武汉市洪山区"},
        {"event": "slot", "name": "reg_place", "value": "武汉市洪山区"},
    ]
    message = tracker("武汉市洪山区", slots={"requested_slot": "reg_place"}, events=events)

    returned = asyncio.run(ValidateRegistrationForm().run(CollectingDispatcher(), message, DOMAIN))

    assert {event["name"]: event["value"] for event in returned} == {
        "reg_place": "武汉洪山区",
        "reg_city": "武汉",
        "reg_district": "洪山区",
        REJECTIONS: 0,
    }


def test_starting_the_form_clears_the_answers_and_refuses_none_of_them(db: str) -> None:
    # "我要办失业登记" then action_start_registration clearing every answer: the form's first
    # validation sees every slot set since the user spoke, all None.
    events = [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "我要办失业登记"},
        *[{"event": "slot", "name": slot, "value": None} for slot in ASKED],
    ]
    message = tracker("我要办失业登记", "register_unemployment", events=events)
    dispatcher = CollectingDispatcher()

    returned = asyncio.run(ValidateRegistrationForm().run(dispatcher, message, DOMAIN))

    assert dispatcher.messages == []
    assert {event["name"]: event["value"] for event in returned} == dict.fromkeys(ASKED)


# Refusals: (slot, what the webhook seals it as, typed, code).
REFUSALS = [
    pytest.param("reg_name", NAME, "abc", "name_invalid", id="name-latin"),
    pytest.param("reg_name", NAME, "张", "name_invalid", id="name-one-character"),
    pytest.param("reg_name", NAME, "我不知道", "name_invalid", id="name-not-a-name"),
    pytest.param("reg_name", NAME, ID_A, "name_invalid", id="name-an-id-number"),
    pytest.param("reg_id_number", ID_NUMBER, "4201021990", "id_length", id="id-short"),
    pytest.param("reg_id_number", ID_NUMBER, "420102199003281235", "id_checksum", id="id-check"),
    pytest.param("reg_id_number", ID_NUMBER, "420102199013321234", "id_birth_date", id="id-date"),
    pytest.param("reg_id_number", ID_NUMBER, "990102199003281234", "id_region", id="id-region"),
    pytest.param("reg_id_number", ID_NUMBER, TOO_YOUNG, "id_too_young", id="id-too-young"),
    pytest.param("reg_id_number", ID_NUMBER, RETIRED, "id_retired", id="id-retired"),
    pytest.param("reg_id_number", ID_NUMBER, "abc", "id_characters", id="id-letters"),
    pytest.param("reg_id_number", ID_NUMBER, PHONE_VALUE, "id_length", id="id-a-phone"),
    pytest.param("reg_phone", PHONE, "027-87654321", "phone_not_mobile", id="phone-landline"),
    pytest.param("reg_phone", PHONE, "12345678", "phone_invalid", id="phone-short"),
    pytest.param("reg_phone", PHONE, "没有手机", "phone_invalid", id="phone-words"),
    pytest.param("reg_phone", PHONE, ID_A, "phone_invalid", id="phone-an-id-number"),
    pytest.param("reg_place", None, "武汉", "place_need_district", id="place-city-only"),
    pytest.param("reg_place", None, "火星", "place_unknown", id="place-unknown"),
    pytest.param("reg_place_kind", None, "5", "place_kind_unknown", id="kind-5"),
    pytest.param("reg_group", None, "8", "group_unknown", id="group-8"),
    pytest.param("reg_last_job", None, "<script>alert(1)</script>", "text_invalid", id="job"),
    pytest.param("reg_last_job", None, "", "text_empty", id="job-empty"),
    pytest.param("reg_last_job", None, PHONE_VALUE, "text_invalid", id="job-a-phone"),
    pytest.param("reg_leave_reason", None, "😀😀", "text_invalid", id="reason-emoji"),
    pytest.param("reg_wanted", None, "想找个工作", "wanted_job_missing", id="wanted-no-job"),
    pytest.param("reg_wanted", None, "我叫张伟", "text_invalid", id="wanted-a-name"),
    pytest.param("reg_training", None, "看情况", "training_unclear", id="training-unclear"),
]


@pytest.mark.parametrize(("slot", "expects", "typed", "code"), REFUSALS)
def test_a_bad_answer_is_refused_with_its_reason(
    db: str, slot: str, expects: str | None, typed: str, code: str
) -> None:
    received = typed_via_webhook(db, typed, expects)

    result, messages = validate(slot, received)

    assert result == {slot: None, REJECTIONS: 1}
    assert responses(messages) == [f"utter_invalid_{code}"]
    assert f"utter_invalid_{code}" in DOMAIN["responses"]


@pytest.mark.parametrize(("slot", "expects", "typed", "code"), REFUSALS[::4])
def test_the_second_refusal_in_a_row_offers_a_way_out(
    db: str, slot: str, expects: str | None, typed: str, code: str
) -> None:
    received = typed_via_webhook(db, typed, expects)

    result, messages = validate(slot, received, {REJECTIONS: 1.0})

    assert result == {slot: None, REJECTIONS: 2}
    assert responses(messages) == [f"utter_invalid_{code}", "utter_registration_stuck"]


@pytest.mark.parametrize(
    ("slot", "kind", "value"),
    [
        ("reg_name", NAME, "张伟"),
        ("reg_id_number", ID_NUMBER, ID_A),
        ("reg_phone", PHONE, PHONE_VALUE),
    ],
)
def test_a_placeholder_of_another_user_is_refused(
    db: str, slot: str, kind: str, value: str
) -> None:
    theirs = sealed_alone(db, kind, value, sender=OTHER)

    result, messages = validate(slot, theirs)

    assert result == {slot: None, REJECTIONS: 1}
    assert responses(messages) == ["utter_invalid_not_sealed"]


@pytest.mark.parametrize(
    ("slot", "kind", "value"),
    [
        ("reg_name", NAME, "张伟"),
        ("reg_id_number", ID_NUMBER, ID_A),
        ("reg_phone", PHONE, PHONE_VALUE),
    ],
)
def test_a_placeholder_relabelled_as_another_kind_is_refused(
    db: str, slot: str, kind: str, value: str
) -> None:
    # The token of a name under the label this question expects, and so on round.
    others = {NAME: (ID_NUMBER, ID_A), ID_NUMBER: (PHONE, PHONE_VALUE), PHONE: (NAME, "张伟")}
    other_kind, other_value = others[kind]
    [(_kind, token)] = placeholders_in(sealed_alone(db, other_kind, other_value))
    label = {NAME: "姓名", ID_NUMBER: "身份证号", PHONE: "手机号"}[kind]

    result, messages = validate(slot, f"⟦{label}:{token}⟧")

    assert result == {slot: None, REJECTIONS: 1}
    assert responses(messages) == ["utter_invalid_not_sealed"]


@pytest.mark.parametrize("slot", ["reg_name", "reg_phone", "reg_place", "reg_wanted"])
def test_a_policy_question_instead_of_an_answer_is_answered(db: str, slot: str) -> None:
    received = typed_via_webhook(db, "失业金怎么领？", NAME)

    result, messages = validate(slot, received, {REJECTIONS: 1}, intent="ask_policy")

    assert result == {slot: None, "last_question": "失业金怎么领？", "last_topic": "policy"}
    assert "失业" in messages[0]["text"] and "来源：" in messages[0]["text"]
    assert responses(messages)[-1] == "utter_registration_continue"


def test_an_answer_nlu_took_for_a_question_is_still_an_answer(db: str) -> None:
    received = typed_via_webhook(db, "张伟", NAME)

    result, messages = validate("reg_name", received, intent="ask_policy")

    assert result == {"reg_name": received, REJECTIONS: 0}
    assert messages == []


# -- starting and the summary ---------------------------------------------------------------------


def test_a_request_to_register_starts_the_form_afresh(db: str) -> None:
    messages, events = run(
        ActionStartRegistration(),
        tracker("我要办失业登记", "register_unemployment", {"reg_name": "⟦姓名:abcdefgh2345⟧"}),
    )

    assert responses(messages) == ["utter_registration_start"]
    assert events == [*cleared_events(), SlotSet(STARTED, True)]


@pytest.mark.parametrize(
    ("typed", "fact"),
    [("失业登记需要带什么材料？", "材料"), ("农民工可以在常住地办失业登记吗", "常住地")],
)
def test_a_question_about_registering_is_answered_and_the_form_not_started(
    db: str, typed: str, fact: str
) -> None:
    slots = {"reg_name": "⟦姓名:abcdefgh2345⟧"}

    messages, events = run(
        ActionStartRegistration(), tracker(typed, "register_unemployment", slots)
    )

    [answer] = messages
    assert fact in answer["text"] and "来源：" in answer["text"]
    assert SlotSet(STARTED, False) in events
    assert not [event for event in events if event.get("name") in (*ASKED, *DERIVED)]
    assert all(event["event"] == "slot" for event in events)


def what_follows(intent: str) -> set[tuple[str, Any, str]]:
    """(slot, value, next action) of each rule that runs an action for ``intent`` and then
    reads a slot it set."""
    found = set()
    for rule in RULES["rules"]:
        steps = rule["steps"]
        if steps[0] == {"intent": intent} and len(steps) > 3 and "slot_was_set" in steps[2]:
            [(slot, value)] = steps[2]["slot_was_set"][0].items()
            found.add((slot, value, steps[3]["action"]))
    return found


def test_the_rules_read_what_comes_next_from_the_slots_the_actions_set() -> None:
    assert what_follows("register_unemployment") == {
        (STARTED, True, FORM),
        (STARTED, False, "action_listen"),
    }
    assert what_follows("correct_registration") == {
        (CONFIRMING, False, FORM),
        (CONFIRMING, True, "action_listen"),
        (CONFIRMING, None, "action_listen"),
    }


def test_the_summary_waits_for_confirmation(db: str) -> None:
    messages, events = run(ActionSummariseRegistration(), tracker(in_form=False))

    assert responses(messages) == ["utter_registration_summary"]
    assert events == [SlotSet(CONFIRMING, True)]


# -- submitting -----------------------------------------------------------------------------------


def completed(
    database_url: str, sender: str = OPENID, id_number: str = ID_A, name: str = "张伟"
) -> dict[str, Any]:
    """The slots of a completed form, personal values sealed by the webhook for ``sender``."""
    return {
        "reg_name": typed_via_webhook(database_url, name, NAME, sender),
        "reg_id_number": typed_via_webhook(database_url, id_number, ID_NUMBER, sender),
        "reg_phone": typed_via_webhook(database_url, PHONE_VALUE, PHONE, sender),
        "reg_place": "武汉洪山区",
        "reg_city": "武汉",
        "reg_district": "洪山区",
        "reg_place_kind": "常住地",
        "reg_group": "高校毕业生",
        "reg_last_job": "无",
        "reg_leave_reason": "毕业未就业",
        "reg_wanted": "想在武汉找会计的工作",
        "reg_wanted_job": "会计",
        "reg_wanted_city": "武汉",
        "reg_training": "需要",
        CONFIRMING: True,
        REJECTIONS: 0,
    }


def confirm(slots: dict[str, Any], sender: str = OPENID) -> tuple[list, list]:
    return run(ActionSubmitRegistration(), tracker("确认", "affirm", slots, sender, in_form=False))


def registrations(database_url: str) -> list[Registration]:
    with session_scope(database_url) as session:
        return list(session.execute(select(Registration)).scalars())


def services(database_url: str) -> list[ServiceRecord]:
    with session_scope(database_url) as session:
        return list(session.execute(select(ServiceRecord)).scalars())


def test_a_confirmed_registration_is_stored_sealed_with_briefing_and_postings(db: str) -> None:
    fitting = [add_posting(db, DATA_KEY, title="会计", city="武汉") for _ in range(4)]
    add_posting(db, DATA_KEY, title="会计", city="武汉", approved=False)
    add_posting(db, DATA_KEY, title="会计", city="武汉", valid_days=-1)

    messages, events = confirm(completed(db))

    [registration] = registrations(db)
    assert registration.status == REGISTRATION_PENDING and registration.openid == OPENID
    assert re.fullmatch(r"DJ20\d{6}\d{6}", registration.reference)
    assert (registration.city, registration.district, registration.group_name) == (
        "武汉",
        "洪山区",
        "高校毕业生",
    )
    assert (registration.wanted_job, registration.wanted_city) == ("会计", "武汉")
    assert registration.wants_training is True
    assert unseal(registration.name_sealed, DATA_KEY) == "张伟"
    assert unseal(registration.id_number_sealed, DATA_KEY) == ID_A
    assert unseal(registration.phone_sealed, DATA_KEY) == PHONE_VALUE
    with session_scope(db) as session:
        row = " ".join(map(str, session.execute(text("SELECT * FROM registrations")).one()))
    for clear in ("张伟", ID_A, PHONE_VALUE, "⟦"):
        assert clear not in row

    submitted, briefing, recommended = messages
    assert submitted["response"] == "utter_registration_submitted"
    assert submitted["reference"] == registration.reference
    assert briefing["text"].startswith("【政策宣介】")
    assert "来源：湖北省人力资源和社会保障厅《关于深入实施“才聚荆楚”工程" in briefing["text"]
    assert recommended["text"].startswith("【岗位推荐】") and "推荐3个" in recommended["text"]
    assert recommended["text"].count("会计｜") == 3
    assert events == cleared_events()
    assert personal_values_of(db, OPENID) == 0  # the registration keeps its own sealed copies

    kinds = {service.kind: service for service in services(db)}
    assert set(kinds) == {POLICY_BRIEFING, JOB_RECOMMENDATION}
    assert all(service.registration_id == registration.id for service in kinds.values())
    shown = [int(part) for part in kinds[JOB_RECOMMENDATION].posting_ids.split("、")]
    assert len(shown) == 3 and set(shown) <= set(fitting)


def test_with_no_posting_that_fits_only_the_briefing_is_recorded(db: str) -> None:
    add_posting(db, DATA_KEY, title="电工", city="拉萨")

    messages, _ = confirm(completed(db))

    assert "暂时没有找到合适的在招岗位" in messages[2]["text"]
    assert [service.kind for service in services(db)] == [POLICY_BRIEFING]


def test_the_same_id_number_registering_again_updates_the_registration(db: str) -> None:
    first, _ = confirm(completed(db))

    again, events = confirm(completed(db, sender=OTHER, name="李娜"), sender=OTHER)

    assert responses(again)[0] == "utter_registration_updated"
    assert again[0]["reference"] == first[0]["reference"]
    [registration] = registrations(db)
    assert registration.openid == OTHER
    assert unseal(registration.name_sealed, DATA_KEY) == "李娜"
    assert events == cleared_events()


@pytest.mark.parametrize("gone", ["reg_name", "reg_id_number", "reg_phone"])
@pytest.mark.parametrize("how", ["deleted", "empty", "another-users"])
def test_a_personal_value_that_is_gone_asks_to_start_again(db: str, gone: str, how: str) -> None:
    slots = completed(db)
    if how == "deleted":
        [(_kind, token)] = placeholders_in(slots[gone])
        with session_scope(db) as session:
            session.execute(delete(PersonalValue).where(PersonalValue.token == token))
    elif how == "empty":
        slots[gone] = None
    else:
        slots[gone] = completed(db, sender=OTHER)[gone]

    messages, events = confirm(slots)

    assert responses(messages) == ["utter_registration_expired"]
    assert events == cleared_events()
    assert registrations(db) == []


@pytest.mark.parametrize("failing", ["submit", "give_first_services"])
def test_a_database_failure_keeps_every_answer_for_another_try(
    db: str, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    def fail(*_args: Any, **_kwargs: Any) -> None:
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    slots = completed(db)
    with monkeypatch.context() as patched:
        patched.setattr(actions.registration, failing, fail)
        messages, events = confirm(slots)

    assert responses(messages) == ["utter_registration_save_failed"]
    # No answer is forgotten, and the summary still waits for "确认".
    assert not [event for event in events if event["name"] in (*ASKED, *DERIVED)]
    assert events == [SlotSet(CONFIRMING, True)]
    assert registrations(db) == [] and services(db) == []

    messages, events = confirm(slots)
    assert responses(messages)[0] == "utter_registration_submitted"
    assert len(registrations(db)) == 1


# -- correcting and cancelling --------------------------------------------------------------------


def field(value: str) -> list[dict[str, Any]]:
    return [{"entity": "registration_field", "value": value}]


@pytest.mark.parametrize(
    ("name", "slots"),
    [
        ("name", ["reg_name"]),
        ("id_number", ["reg_id_number"]),
        ("phone", ["reg_phone"]),
        ("place", ["reg_place", "reg_city", "reg_district", "reg_place_kind"]),
        ("group", ["reg_group"]),
        ("last_job", ["reg_last_job", "reg_leave_reason"]),
        ("wanted", ["reg_wanted", "reg_wanted_job", "reg_wanted_city"]),
        ("training", ["reg_training"]),
    ],
)
@pytest.mark.parametrize("where", ["form", "summary"])
def test_a_correction_clears_the_field_so_the_form_asks_again(
    db: str, name: str, slots: list[str], where: str
) -> None:
    in_form = where == "form"
    message = tracker(
        "改一下",
        "correct_registration",
        {**completed(db), CONFIRMING: not in_form, REJECTIONS: 1},
        in_form=in_form,
        entities=field(name),
    )

    messages, events = run(ActionCorrectRegistration(), message)

    assert messages == []
    cleared = [SlotSet(slot, None) for slot in slots]
    # registration_confirming False: the rules run the form, which asks for the field again.
    assert events == [*cleared, SlotSet(REJECTIONS, 0), SlotSet(CONFIRMING, False)]


@pytest.mark.parametrize("entities", [[], field("email")], ids=["no-field", "unknown-field"])
@pytest.mark.parametrize("where", ["form", "summary"])
def test_a_correction_that_names_no_field_asks_which(
    db: str, entities: list[dict[str, Any]], where: str
) -> None:
    in_form = where == "form"
    message = tracker(
        "填错了",
        "correct_registration",
        {CONFIRMING: not in_form},
        in_form=in_form,
        entities=entities,
    )

    messages, events = run(ActionCorrectRegistration(), message)

    assert responses(messages) == ["utter_registration_field_unknown"]
    # From the summary it stays waiting for a confirmation or a correction.
    assert events == [SlotSet(CONFIRMING, not in_form)]


def test_a_correction_with_nothing_in_progress_says_how_to_change_a_registration(db: str) -> None:
    message = tracker(
        "手机号填错了", "correct_registration", in_form=False, entities=field("phone")
    )

    messages, events = run(ActionCorrectRegistration(), message)

    assert responses(messages) == ["utter_correct_after_submit"]
    assert events == [SlotSet(CONFIRMING, None)]


@pytest.mark.parametrize(
    "slots",
    [
        pytest.param({"reg_name": "⟦姓名:abcdefgh2345⟧"}, id="first-answer"),
        pytest.param({"reg_training": "需要"}, id="last-answer"),
        pytest.param({CONFIRMING: True}, id="at-the-summary"),
    ],
)
def test_cancelling_a_registration_forgets_every_answer(db: str, slots: dict[str, Any]) -> None:
    messages, events = run(
        ActionCancelRegistration(), tracker("算了", "cancel", slots, in_form=False)
    )

    assert responses(messages) == ["utter_registration_cancelled"]
    assert events == cleared_events()
    assert {event["name"] for event in events} >= {*ASKED, *DERIVED}


def personal_values_of(database_url: str, openid: str) -> int:
    with session_scope(database_url) as session:
        return len(session.execute(select(PersonalValue).filter_by(openid=openid)).all())


def test_cancelling_deletes_the_sealed_values_the_user_typed_and_no_one_elses(db: str) -> None:
    name = typed_via_webhook(db, "张伟", "name")
    typed_via_webhook(db, "13912345678", "phone", sender="o_someone_else")

    run(ActionCancelRegistration(), tracker("算了", "cancel", {"reg_name": name}, in_form=False))

    assert personal_values_of(db, OPENID) == 0
    assert personal_values_of(db, "o_someone_else") == 1


def test_cancelling_at_the_first_question_cancels_the_registration(db: str) -> None:
    messages, events = run(
        ActionCancelRegistration(),
        tracker("算了", "cancel", {STARTED: True}, in_form=False),
    )

    assert responses(messages) == ["utter_registration_cancelled"]
    assert events == cleared_events()


def test_cancelling_with_nothing_started_just_acknowledges(db: str) -> None:
    messages, _ = run(ActionCancelRegistration(), tracker("算了", "cancel", in_form=False))

    assert responses(messages) == ["utter_nothing_to_cancel"]


# -- the status a user asks for -------------------------------------------------------------------


def stored(database_url: str, openid: str, id_number: str, group: str = "农民工") -> str:
    """A registration submitted from ``openid``; its reference."""
    answers = RegistrationAnswers(
        name="张伟",
        id_number=id_number,
        phone=PHONE_VALUE,
        city="西安",
        district="雁塔区",
        place_kind="户籍地",
        group=group,
        last_job="普工",
        leave_reason="合同到期",
        wanted_job="电工",
        wanted_city="西安",
        wants_training=False,
    )
    with session_scope(database_url) as session:
        registration, _created = submit(session, openid, answers, DATA_KEY, utcnow())
        return str(registration.reference)


def decided(database_url: str, reference: str, decision: str, reason: str = "") -> None:
    with session_scope(database_url) as session:
        registration = session.execute(
            select(Registration).filter_by(reference=reference)
        ).scalar_one()
        decide(session, registration, decision, reason, None, utcnow())
        if decision == "approve":
            record_service(session, registration, POLICY_BRIEFING, "wechat", detail="政策宣介")
            record_service(session, registration, CAREER_GUIDANCE, "phone", detail="电话指导")
            record_service(
                session, registration, JOB_RECOMMENDATION, "wechat", posting_ids=[1, 2, 3]
            )


def check(sender: str = OPENID, typed: str = "查登记进度") -> tuple[list, list]:
    return run(
        ActionCheckRegistration(),
        tracker(typed, "check_registration", sender=sender, in_form=False),
    )


def test_no_registration_says_so(db: str) -> None:
    stored(db, OTHER, ID_C)

    messages, events = check()

    assert responses(messages) == ["utter_no_registration"]
    assert events == []


def test_no_registration_and_a_question_the_notices_answer_gets_the_answer(db: str) -> None:
    [message], _ = check(typed="失业登记需要带什么材料？")

    assert "来源：" in message["text"]


def test_the_status_names_each_registration_of_the_user_and_no_one_elses(db: str) -> None:
    pending = stored(db, OPENID, ID_A)
    registered = stored(db, OPENID, ID_B)
    rejected = stored(db, OPENID, ID_C)
    decided(db, registered, "approve")
    decided(db, rejected, "reject", "登记地与身份证信息不符")
    someone_elses = stored(db, OTHER, RETIRED)

    [message], events = check()

    assert events == []
    entries = {entry.split("：")[1][:16]: entry for entry in message["text"].split("\n\n")}
    assert set(entries) == {pending, registered, rejected}
    assert "状态：待审核" in entries[pending] and "3个工作日" in entries[pending]
    assert "状态：已登记" in entries[registered]
    assert "已为您提供：政策宣介1次、职业指导1次、岗位推荐3个。" in entries[registered]
    assert "接下来工作人员会联系您，安排培训或见习机会。" in entries[registered]
    assert "状态：未通过" in entries[rejected]
    assert "原因：登记地与身份证信息不符" in entries[rejected]
    assert someone_elses not in message["text"]
    for clear in ("张伟", PHONE_VALUE, ID_A):
        assert clear not in message["text"]

    [theirs], _ = check(sender=OTHER)
    assert someone_elses in theirs["text"] and pending not in theirs["text"]


def test_every_briefing_names_a_notice_of_the_manifest_by_its_issuer_and_title() -> None:
    manifest = json.loads((PROJECT_ROOT / "knowledge" / "notices" / "manifest.json").read_text())
    notices = {(notice["issuer"], notice["title"]) for notice in manifest}

    assert briefings() and all(
        (briefing.issuer, briefing.title) in notices for briefing in briefings().values()
    )


@pytest.mark.parametrize(
    ("submitted", "shown"),
    [
        (datetime(2026, 11, 23, 17, 30, tzinfo=timezone.utc), "2026年11月24日提交"),  # 01:30 CST
        (datetime(2026, 11, 23, 15, 59), "2026年11月23日提交"),  # SQLite: UTC without a zone
    ],
)
def test_the_status_gives_the_day_submitted_as_it_was_in_china(
    submitted: datetime, shown: str
) -> None:
    registration = Registration(
        reference="DJ20261123000001",
        city="武汉",
        district="洪山区",
        place_kind="常住地",
        status=REGISTRATION_PENDING,
        submitted_at=submitted,
    )

    assert shown in status_text(registration, [])


def test_every_question_of_the_form_has_its_check_and_its_validate_method() -> None:
    domain = yaml.safe_load((PROJECT_ROOT / "bot" / "domain" / "registration.yml").read_text())
    asked = domain["forms"]["registration_form"]["required_slots"]

    assert list(actions.registration.CHECKS) == asked == list(ASKED)
    assert all(callable(getattr(ValidateRegistrationForm, f"validate_{slot}")) for slot in asked)
