"""conversation.rasa_client and conversation.answering.ask_rasa against a fake Rasa."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from conversation import replies
from conversation.answering import ask_rasa
from conversation.rasa_client import BotReply, RasaClient, RasaUnavailable
from runtime import Runtime

from .support import RASA_TOKEN, FakeRasa, closed_port_url


@pytest.fixture
def client(fake_rasa: FakeRasa) -> RasaClient:
    return RasaClient(fake_rasa.url + "/", RASA_TOKEN, timeout_seconds=10)


def test_send_posts_the_turn_with_the_bearer_token(client: RasaClient, fake_rasa: FakeRasa) -> None:
    reply = client.send("o_user", "找工作", {"via": "voice"})

    (turn,) = fake_rasa.turns
    assert (turn.sender, turn.message, turn.metadata) == ("o_user", "找工作", {"via": "voice"})
    assert turn.authorization == f"Bearer {RASA_TOKEN}"
    assert reply == BotReply(texts=("收到：找工作",))


@pytest.mark.parametrize(
    ("messages", "text"),
    [
        pytest.param([], "", id="nothing"),
        pytest.param([{"text": "a"}], "a", id="one"),
        pytest.param([{"text": "a"}, {"text": "b"}], "a\n\nb", id="two"),
        pytest.param(
            [
                {
                    "text": "选一个",
                    "buttons": [{"title": "是", "payload": "/affirm"}, {"title": "否"}],
                }
            ],
            "选一个\n1. 是\n2. 否",
            id="buttons",
        ),
        pytest.param([{"buttons": [{"title": "是"}]}], "1. 是", id="buttons-only"),
        pytest.param(
            [{"image": "http://example.invalid/x.png"}, {"text": "b"}], "b", id="image-dropped"
        ),
        pytest.param([{"text": ""}, {"custom": {"x": 1}}], "", id="empty-parts"),
    ],
)
def test_rasa_messages_are_merged_into_one_text(
    client: RasaClient, fake_rasa: FakeRasa, messages: list[dict[str, Any]], text: str
) -> None:
    fake_rasa.answer_with(messages)

    assert client.send("o_user", "hi").text == text


@pytest.mark.parametrize("status", [401, 502, 503])
def test_refusals_before_processing_are_unavailable(
    client: RasaClient, fake_rasa: FakeRasa, status: int
) -> None:
    fake_rasa.answer_with([], status=status)

    with pytest.raises(RasaUnavailable):
        client.send("o_user", "hi")


def test_wrong_token_is_unavailable(fake_rasa: FakeRasa) -> None:
    with pytest.raises(RasaUnavailable):
        RasaClient(fake_rasa.url, "wrong-token").send("o_user", "hi")


def test_unreachable_rasa_is_unavailable() -> None:
    with pytest.raises(RasaUnavailable):
        RasaClient(closed_port_url(), RASA_TOKEN).send("o_user", "hi")


@pytest.mark.parametrize("status", [400, 404, 500])
def test_other_http_errors_are_raised_as_http_errors(
    client: RasaClient, fake_rasa: FakeRasa, status: int
) -> None:
    fake_rasa.answer_with([], status=status)

    with pytest.raises(requests.HTTPError):
        client.send("o_user", "hi")


def test_a_body_that_is_not_json_raises_value_error(
    client: RasaClient, fake_rasa: FakeRasa
) -> None:
    fake_rasa.answer = lambda _turn: (200, "<html>not json</html>")

    with pytest.raises(ValueError):
        client.send("o_user", "hi")


@pytest.mark.parametrize("body", [{"error": "x"}, ["plain string"], [None]])
def test_json_that_is_not_a_list_of_messages_raises_value_error(
    client: RasaClient, fake_rasa: FakeRasa, body: Any
) -> None:
    fake_rasa.answer = lambda _turn: (200, body)

    with pytest.raises(ValueError):
        client.send("o_user", "hi")


def test_status_reads_rasas_status(client: RasaClient, fake_rasa: FakeRasa) -> None:
    assert client.status() == fake_rasa.status_body


def test_status_of_unreachable_rasa_raises() -> None:
    with pytest.raises(requests.ConnectionError):
        RasaClient(closed_port_url(), RASA_TOKEN).status()


# -- ask_rasa ------------------------------------------------------------------------------------


@pytest.fixture
def claimed_turn(worker_runtime: Runtime) -> str:
    worker_runtime.ledger.claim("msg:1", "o_user", "找工作", {"via": "voice"})
    return "msg:1"


def test_ask_rasa_returns_the_merged_answer(
    worker_runtime: Runtime, claimed_turn: str, fake_rasa: FakeRasa
) -> None:
    assert ask_rasa(worker_runtime, claimed_turn) == "收到：找工作"
    assert fake_rasa.turns[0].metadata == {"via": "voice"}


def test_ask_rasa_returns_none_when_rasa_is_unreachable(
    worker_runtime: Runtime, claimed_turn: str, fake_rasa: FakeRasa
) -> None:
    fake_rasa.stop()

    assert ask_rasa(worker_runtime, claimed_turn) is None


@pytest.mark.parametrize("status", [400, 500])
def test_ask_rasa_says_sorry_when_rasa_fails(
    worker_runtime: Runtime, claimed_turn: str, fake_rasa: FakeRasa, status: int
) -> None:
    fake_rasa.answer_with([], status=status)

    assert ask_rasa(worker_runtime, claimed_turn) == replies.SORRY_TRY_AGAIN


def test_ask_rasa_for_an_expired_turn_answers_nothing_without_asking(
    worker_runtime: Runtime, fake_rasa: FakeRasa
) -> None:
    assert ask_rasa(worker_runtime, "msg:expired") == ""
    assert fake_rasa.turns == []
