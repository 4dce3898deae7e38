"""registration.personal: names, ID numbers and phones sealed the moment the webhook reads them.

Rasa, Redis and the stored answers see only placeholders (``⟦身份证号:…⟧``); the text WeChat
receives has them put back, the user's own name in full, ID numbers and phones masked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from redis import Redis
from sqlalchemy import func, select, text

from registration.personal import (
    HIDDEN,
    ID_NUMBER,
    NAME,
    PHONE,
    expected,
    expects_key,
    fill_personal,
    placeholder,
    placeholders_in,
    redact,
    remember_expected,
    seal_one,
    seal_values,
    value_of,
    with_personal,
)
from storage.db import session_scope
from storage.models import PersonalValue

from .support import DATA_KEY, Harness, MakeApp, message_xml, new_msg_id

OTHER_KEY = "Pn0-Z6C5e1uPbJkTKMhmmCZW9Q4BfvQ8DqJL0NhsJ2c="
OPENID = "o_personal"
ID_NUMBER_VALUE = "42010219900328123X"  # a valid number (its check character is X)
PHONE_VALUE = "13812345678"
PLACEHOLDER = re.compile(r"⟦(姓名|身份证号|手机号):[a-z2-7]{12}⟧")


def shown(redacted: str) -> str:
    """The redacted text with its numbered slots written {0}, {1}, …"""
    return re.sub("\x00([0-9]+)\x00", r"{\1}", redacted)


def count_values(database_url: str) -> int:
    with session_scope(database_url) as session:
        return session.execute(select(func.count()).select_from(PersonalValue)).scalar_one()


def stored_text(database_url: str) -> str:
    """Every column of every row of personal_values, as one text."""
    with session_scope(database_url) as session:
        rows = session.execute(text("SELECT * FROM personal_values")).all()
    return "\n".join(" ".join(str(column) for column in row) for row in rows)


def token_of(sealed_text: str, kind: str) -> str:
    [token] = [token for found, token in placeholders_in(sealed_text) if found == kind]
    return token


# -- redact ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expects", "redacted", "found"),
    [
        pytest.param(
            "42010219900328123X", None, "{0}", [(ID_NUMBER, ID_NUMBER_VALUE)], id="id-number"
        ),
        pytest.param(
            "身份证号42010219900328123x。",
            None,
            "身份证号{0}。",
            [(ID_NUMBER, ID_NUMBER_VALUE)],
            id="id-number-lower-x",
        ),
        pytest.param(
            "420102 19900328 123X", None, "{0}", [(ID_NUMBER, ID_NUMBER_VALUE)], id="id-spaced"
        ),
        pytest.param(
            "420102-19900328-123X", None, "{0}", [(ID_NUMBER, ID_NUMBER_VALUE)], id="id-hyphens"
        ),
        pytest.param(
            "４２０１０２１９９００３２８１２３Ｘ",
            None,
            "{0}",
            [(ID_NUMBER, ID_NUMBER_VALUE)],
            id="id-full-width",
        ),
        pytest.param(
            "电话+86 138 1234 5678", None, "电话{0}", [(PHONE, PHONE_VALUE)], id="mobile-plus86"
        ),
        pytest.param(
            "+8613812345678", None, "{0}", [(PHONE, PHONE_VALUE)], id="mobile-plus86-tight"
        ),
        pytest.param("138-1234-5678", None, "{0}", [(PHONE, PHONE_VALUE)], id="mobile-hyphens"),
        pytest.param("138 1234 5678", None, "{0}", [(PHONE, PHONE_VALUE)], id="mobile-spaces"),
        pytest.param(
            "１３８１２３４５６７８", None, "{0}", [(PHONE, PHONE_VALUE)], id="mobile-full-width"
        ),
        pytest.param("0086 13812345678", None, "{0}", [(PHONE, PHONE_VALUE)], id="mobile-0086"),
        pytest.param(
            "008613812345678", PHONE, "{0}", [(PHONE, PHONE_VALUE)], id="mobile-0086-tight"
        ),
        pytest.param(
            "身份证42010219900328123X，手机13812345678",
            None,
            "身份证{0}，手机{1}",
            [(ID_NUMBER, ID_NUMBER_VALUE), (PHONE, PHONE_VALUE)],
            id="id-and-mobile",
        ),
        pytest.param("张伟", NAME, "{0}", [(NAME, "张伟")], id="name-when-asked"),
        pytest.param("我叫王小明", NAME, "{0}", [(NAME, "王小明")], id="name-said-when-asked"),
        pytest.param("张 伟", NAME, "{0}", [(NAME, "张伟")], id="name-spaced-when-asked"),
        pytest.param("我叫王小明", None, "我叫{0}", [(NAME, "王小明")], id="name-said"),
        pytest.param(
            "你好，我叫王小明，想办登记",
            None,
            "你好，我叫{0}，想办登记",
            [(NAME, "王小明")],
            id="name-said-mid-sentence",
        ),
        pytest.param(
            "我叫王小明，电话13812345678",
            None,
            "我叫{1}，电话{0}",
            [(PHONE, PHONE_VALUE), (NAME, "王小明")],
            id="name-and-mobile",
        ),
    ],
)
def test_personal_values_are_taken_out_of_the_text(
    typed: str, expects: str | None, redacted: str, found: list[tuple[str, str]]
) -> None:
    result, values = redact(typed, expects)

    assert shown(result) == redacted
    assert values == found


@pytest.mark.parametrize(
    ("typed", "expects"),
    [
        ("失业金怎么领", None),
        ("失业金怎么领", NAME),
        ("2023年的政策", None),
        ("2023年的政策", ID_NUMBER),
        ("2023年的政策", PHONE),
        ("12333", None),
        ("12333", PHONE),
        ("拨打12333咨询", ID_NUMBER),
        pytest.param("张伟", None, id="a-name-nobody-asked-for"),
        pytest.param("算了", NAME, id="leave-at-the-name-prompt"),
        pytest.param("转人工", NAME, id="handoff-at-the-name-prompt"),
        pytest.param("取消", NAME, id="cancel-at-the-name-prompt"),
        pytest.param("我叫什么名字", None, id="a-question-not-a-name"),
        pytest.param("1234567", None, id="seven-digits-nobody-asked-for"),
        pytest.param("想找月薪8000的会计工作", None, id="a-salary"),
    ],
)
def test_ordinary_messages_keep_their_text(typed: str, expects: str | None) -> None:
    assert redact(typed, expects) == (typed, [])


@pytest.mark.parametrize(
    ("typed", "expects", "value"),
    [
        pytest.param("1234567", ID_NUMBER, "1234567", id="part-of-an-id-number"),
        pytest.param("4201021990", ID_NUMBER, "4201021990", id="ten-digits-of-an-id-number"),
        pytest.param("420102 1990x", ID_NUMBER, "4201021990X", id="spaced-with-x"),
        pytest.param("1381234567", PHONE, "1381234567", id="a-digit-short-of-a-mobile"),
        pytest.param("027-8765432", PHONE, "0278765432", id="a-landline"),
    ],
)
def test_a_shorter_run_of_digits_is_sealed_when_the_bot_asked_for_that_kind(
    typed: str, expects: str, value: str
) -> None:
    assert redact(typed, None) == (typed, [])
    result, found = redact(typed, expects)
    assert shown(result) == "{0}"
    assert found == [(expects, value)]


# -- seal_values, value_of, seal_one ------------------------------------------------


def test_the_same_turn_gives_the_same_placeholders_and_stores_each_value_once(
    database_url: str,
) -> None:
    typed = f"身份证{ID_NUMBER_VALUE}，手机{PHONE_VALUE}"

    first = seal_values(database_url, DATA_KEY, OPENID, "msg:1", typed, None)
    again = seal_values(database_url, DATA_KEY, OPENID, "msg:1", typed, None)

    assert first == again
    assert re.fullmatch(f"身份证{PLACEHOLDER.pattern}，手机{PLACEHOLDER.pattern}", first)
    assert count_values(database_url) == 2
    other_turn = seal_values(database_url, DATA_KEY, OPENID, "msg:2", typed, None)
    assert set(placeholders_in(other_turn)).isdisjoint(placeholders_in(first))
    assert count_values(database_url) == 4


def test_a_text_without_personal_values_stores_nothing(database_url: str) -> None:
    assert seal_values(database_url, DATA_KEY, OPENID, "msg:1", "失业金怎么领", None) == (
        "失业金怎么领"
    )
    assert count_values(database_url) == 0


def test_values_are_stored_sealed(database_url: str) -> None:
    typed = f"我叫王小明，身份证{ID_NUMBER_VALUE}，手机{PHONE_VALUE}"

    sealed_text = seal_values(database_url, DATA_KEY, OPENID, "msg:1", typed, None)

    stored = stored_text(database_url)
    assert stored.count(OPENID) == 3
    for clear in ("王小明", ID_NUMBER_VALUE, PHONE_VALUE, "12345678", "19900328"):
        assert clear not in stored
        assert clear not in sealed_text
    with session_scope(database_url) as session:
        token = token_of(sealed_text, ID_NUMBER)
        assert value_of(session, DATA_KEY, OPENID, ID_NUMBER, token) == ID_NUMBER_VALUE
        assert value_of(session, DATA_KEY, "o_someone_else", ID_NUMBER, token) is None
        assert value_of(session, DATA_KEY, OPENID, PHONE, token) is None


@pytest.mark.parametrize(
    ("openid", "kind", "data_key", "value"),
    [
        pytest.param(OPENID, ID_NUMBER, DATA_KEY, ID_NUMBER_VALUE, id="the-owner"),
        pytest.param("o_someone_else", ID_NUMBER, DATA_KEY, None, id="another-user"),
        pytest.param(OPENID, PHONE, DATA_KEY, None, id="another-kind"),
        pytest.param(OPENID, ID_NUMBER, OTHER_KEY, None, id="another-data-key"),
    ],
)
def test_value_of_gives_the_value_only_to_its_owner_and_kind(
    database_url: str, openid: str, kind: str, data_key: str, value: str | None
) -> None:
    sealed_text = seal_values(database_url, DATA_KEY, OPENID, "msg:1", ID_NUMBER_VALUE, None)
    token = token_of(sealed_text, ID_NUMBER)

    with session_scope(database_url) as session:
        assert value_of(session, data_key, openid, kind, token) == value


def test_value_of_an_unknown_token_is_none(database_url: str) -> None:
    with session_scope(database_url) as session:
        assert value_of(session, DATA_KEY, OPENID, NAME, "abcdefgh2345") is None


def test_seal_one_makes_a_new_placeholder_each_time(database_url: str) -> None:
    with session_scope(database_url) as session:
        first = seal_one(session, DATA_KEY, OPENID, NAME, "张伟")
        second = seal_one(session, DATA_KEY, OPENID, NAME, "张伟")
        assert first != second
        assert PLACEHOLDER.fullmatch(first) and first.startswith("⟦姓名:")
        assert value_of(session, DATA_KEY, OPENID, NAME, token_of(first, NAME)) == "张伟"
    assert "张伟" not in stored_text(database_url)


# -- fill_personal, with_personal -----------------------------------------------------------------


@pytest.fixture
def sealed(database_url: str) -> dict[str, str]:
    """Placeholders of a name, an ID number and a phone of OPENID, by kind."""
    sealed_text = seal_values(
        database_url,
        DATA_KEY,
        OPENID,
        "msg:1",
        f"我叫张伟，身份证{ID_NUMBER_VALUE}，手机{PHONE_VALUE}",
        None,
    )
    return {kind: placeholder(kind, token) for kind, token in placeholders_in(sealed_text)}


@pytest.mark.parametrize(
    ("template", "filled"),
    [
        pytest.param("姓名：{name}", "姓名：张伟", id="name-in-full"),
        pytest.param("身份证号：{id_number}", "身份证号：420102********123X", id="id-masked"),
        pytest.param("手机号：{phone}", "手机号：138****5678", id="phone-masked"),
        pytest.param(
            "{name}，{id_number}，{phone}",
            "张伟，420102********123X，138****5678",
            id="all-three",
        ),
        pytest.param("姓名：⟦姓名:abcdefgh2345⟧", f"姓名：{HIDDEN}", id="unknown-token"),
        pytest.param("没有个人信息的回答", "没有个人信息的回答", id="nothing-to-fill"),
    ],
)
def test_placeholders_are_filled_for_the_reader(
    database_url: str, sealed: dict[str, str], template: str, filled: str
) -> None:
    answer = template.format(**sealed)

    with session_scope(database_url) as session:
        assert fill_personal(session, answer, DATA_KEY) == filled
    assert with_personal(database_url, answer, DATA_KEY) == filled


def test_a_placeholder_under_another_label_or_key_is_hidden(
    database_url: str, sealed: dict[str, str]
) -> None:
    relabelled = sealed[ID_NUMBER].replace("身份证号", "手机号")

    with session_scope(database_url) as session:
        assert fill_personal(session, relabelled, DATA_KEY) == HIDDEN
        assert fill_personal(session, sealed[NAME], OTHER_KEY) == HIDDEN


def test_a_value_that_cannot_be_masked_is_hidden(database_url: str) -> None:
    # Seven digits typed at the ID-number question: sealed, but no ID number to mask.
    sealed_text = seal_values(database_url, DATA_KEY, OPENID, "msg:1", "1234567", ID_NUMBER)

    assert with_personal(database_url, sealed_text, DATA_KEY) == HIDDEN


# -- remember_expected, expected ------------------------------------------------------------------


@pytest.fixture
def expecting_openid(redis_client: Redis, unique: str) -> Iterator[str]:
    openid = f"o_expects_{unique}"
    yield openid
    redis_client.delete(expects_key(openid))


@pytest.mark.parametrize(
    ("asked", "remembered"),
    [(NAME, NAME), (ID_NUMBER, ID_NUMBER), (PHONE, PHONE), (None, None), ("email", None)],
)
def test_what_the_last_question_expects_is_remembered_until_the_next(
    redis_client: Redis, expecting_openid: str, asked: str | None, remembered: str | None
) -> None:
    remember_expected(redis_client, expecting_openid, NAME)

    remember_expected(redis_client, expecting_openid, asked)

    assert expected(redis_client, expecting_openid) == remembered
    assert expected(redis_client, f"{expecting_openid}_other") is None


# -- through the web app --------------------------------------------------------------------------


def say(harness: Harness, openid: str, typed: str, msg_id: int | None = None) -> tuple[str, str]:
    """Send a text message; the passive reply and the turn's key."""
    msg_id = msg_id or new_msg_id()
    xml = message_xml("text", openid=openid, msg_id=msg_id).replace("我想找一份快递员的工作", typed)
    response = harness.post(xml)
    harness.settle()
    reply = harness.reply_text(response)
    assert reply is not None
    return reply, f"msg:{msg_id}"


def redis_text(harness: Harness) -> str:
    """Every value this test wrote to Redis, as one text."""
    redis = harness.runtime.redis
    parts: list[str] = []
    for key in redis.scan_iter(match=f"*{harness.unique}*"):
        kind = redis.type(key)
        if kind == b"hash":
            parts += [value.decode() for value in redis.hgetall(key).values()]
        elif kind == b"string":
            parts.append((redis.get(key) or b"").decode())
        elif kind == b"list":
            parts += [value.decode() for value in redis.lrange(key, 0, -1)]
    return "\n".join(parts)


def test_a_text_turn_reaches_rasa_and_redis_as_placeholders(harness: Harness) -> None:
    openid = harness.openid()

    reply, key = say(harness, openid, f"我的身份证号是{ID_NUMBER_VALUE}，电话138-1234-5678")

    [sent] = harness.fake_rasa.messages
    assert re.fullmatch(f"我的身份证号是{PLACEHOLDER.pattern}，电话{PLACEHOLDER.pattern}", sent)
    record = harness.runtime.ledger.get(key)
    assert record is not None and record.text == sent
    stored = redis_text(harness)
    assert sent in stored
    for clear in (ID_NUMBER_VALUE, PHONE_VALUE, "1234-5678", "19900328"):
        assert clear not in stored
        assert clear not in stored_text(harness.database_url)
    # The echo comes back to the user masked.
    assert reply == "收到：我的身份证号是420102********123X，电话138****5678"


def test_a_retry_of_the_same_message_reuses_its_placeholders(harness: Harness) -> None:
    openid = harness.openid()
    msg_id = new_msg_id()

    first, _ = say(harness, openid, f"手机{PHONE_VALUE}", msg_id)
    again, _ = say(harness, openid, f"手机{PHONE_VALUE}", msg_id)

    assert first == again == "收到：手机138****5678"
    assert len(harness.fake_rasa.turns) == 1
    assert count_values(harness.database_url) == 1


def asking(question: str, expects: str | None) -> list[dict]:
    """Rasa's messages for a response with ``custom: {expects: …}``: the text, then the custom
    payload as a message of its own."""
    custom = [{"custom": {"expects": expects}}] if expects else []
    return [{"text": "好的，开始登记。"}, {"text": question}, *custom]


@pytest.mark.parametrize(
    ("expects", "typed", "sent"),
    [
        pytest.param(NAME, "张伟", "⟦姓名:", id="name"),
        pytest.param(NAME, "我是张伟", "⟦姓名:", id="name-said"),
        pytest.param(None, "张伟", "张伟", id="no-expects"),
        pytest.param(ID_NUMBER, "张伟", "张伟", id="other-kind"),
        pytest.param(ID_NUMBER, "4201021990", "⟦身份证号:", id="part-of-an-id-number"),
        pytest.param(PHONE, "1381234567", "⟦手机号:", id="part-of-a-phone"),
    ],
)
def test_an_answer_to_a_question_that_expects_a_value_is_sealed(
    harness: Harness, expects: str | None, typed: str, sent: str
) -> None:
    openid = harness.openid()
    harness.fake_rasa.answer_with(asking("请问您的姓名？", expects))
    reply, _ = say(harness, openid, "我要办失业登记")
    assert reply == "好的，开始登记。\n\n请问您的姓名？"
    harness.fake_rasa.answer_with([{"text": "收到"}])

    say(harness, openid, typed)

    received = harness.fake_rasa.messages[-1]
    assert received.startswith(sent)
    if sent.startswith("⟦"):
        assert PLACEHOLDER.fullmatch(received)
        [(kind, token)] = placeholders_in(received)
        with session_scope(harness.database_url) as session:
            assert value_of(session, DATA_KEY, openid, kind, token) == typed.removeprefix("我是")
    else:
        assert received == typed


def test_only_the_question_right_before_is_expected(harness: Harness) -> None:
    openid = harness.openid()
    harness.fake_rasa.answer_with(asking("请问您的姓名？", NAME))
    say(harness, openid, "我要办失业登记")
    harness.fake_rasa.answer_with([{"text": "还有什么可以帮您？"}])
    say(harness, openid, "算了")

    say(harness, openid, "张伟")

    assert harness.fake_rasa.messages[-2:] == ["算了", "张伟"]


def test_an_answer_with_placeholders_reaches_wechat_filled_and_is_stored_sealed(
    harness: Harness,
) -> None:
    openid = harness.openid()
    sealed_text = seal_values(
        harness.database_url,
        DATA_KEY,
        openid,
        "msg:earlier",
        f"我叫张伟，身份证{ID_NUMBER_VALUE}，手机{PHONE_VALUE}",
        None,
    )
    values = {kind: placeholder(kind, token) for kind, token in placeholders_in(sealed_text)}
    summary = f"姓名：{values[NAME]}\n身份证号：{values[ID_NUMBER]}\n手机号：{values[PHONE]}"
    harness.fake_rasa.answer_with([{"text": "请核对您的登记信息："}, {"text": summary}])

    reply, key = say(harness, openid, "好了")

    assert reply == (
        "请核对您的登记信息：\n\n姓名：张伟\n身份证号：420102********123X\n手机号：138****5678"
    )
    record = harness.runtime.ledger.get(key)
    assert record is not None
    assert record.answer == f"请核对您的登记信息：\n\n{summary}"
    for clear in ("张伟", ID_NUMBER_VALUE, PHONE_VALUE):
        assert clear not in redis_text(harness)


def test_a_late_answer_reaches_wechat_filled_too(make_app: MakeApp) -> None:
    harness = make_app(REPLY_BUDGET_SECONDS="0.2")
    openid = harness.openid()
    harness.fake_rasa.hold()

    reply = harness.post(
        message_xml("text", openid=openid, msg_id=new_msg_id()).replace(
            "我想找一份快递员的工作", f"手机{PHONE_VALUE}"
        )
    )
    harness.fake_rasa.release()
    harness.settle()
    harness.run_worker()

    assert reply.text == "success"
    assert harness.fake_wechat.texts_to(openid) == ["收到：手机138****5678"]


@pytest.mark.parametrize("typed", ["１２３４５６７８９０", "ＡＢＣ 你好", "第１２３３３号"])
def test_a_text_with_nothing_personal_goes_on_exactly_as_typed(typed: str) -> None:
    assert redact(typed, None) == (typed, [])
