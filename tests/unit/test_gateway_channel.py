"""bot.channels.GatewayInput: the Rasa channel our web app calls, behind a bearer token."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any

import pytest
from rasa.core.channels.channel import UserMessage
from sanic.compat import Header

from bot.channels import GatewayInput

TOKEN = "gateway-token"


@dataclass
class StubRequest:
    """The parts of a Sanic request the channel reads."""

    headers: Header
    json: Any = None


def request(authorization: str | None, body: Any = None) -> StubRequest:
    headers = Header({"Authorization": authorization} if authorization is not None else {})
    return StubRequest(headers=headers, json=body)


@dataclass
class Rasa:
    """Stands in for Rasa's message handler: records messages and answers each one."""

    received: list[UserMessage] = field(default_factory=list)

    async def on_new_message(self, message: UserMessage) -> None:
        self.received.append(message)
        await message.output_channel.send_text_message(message.sender_id, f"答：{message.text}")


def receive_handler(channel: GatewayInput, rasa: Rasa) -> Any:
    blueprint = channel.blueprint(rasa.on_new_message)
    (route,) = (route for route in blueprint._future_routes if route.uri == "/webhook")
    return route.handler


def call(channel: GatewayInput, rasa: Rasa, stub: StubRequest) -> tuple[int, Any]:
    response = asyncio.run(receive_handler(channel, rasa)(stub))
    return response.status, json.loads(response.body)


@pytest.mark.parametrize(
    "authorization",
    [
        pytest.param(None, id="missing"),
        pytest.param("", id="empty"),
        pytest.param("Bearer ", id="empty-bearer"),
        pytest.param("Bearer wrong-token", id="wrong"),
        pytest.param(f"Bearer {TOKEN}x", id="longer"),
        pytest.param(f"Bearer {TOKEN[:-1]}", id="shorter"),
        pytest.param(TOKEN, id="no-scheme"),
        pytest.param(f"Basic {TOKEN}", id="other-scheme"),
        pytest.param(f"bearer {TOKEN}", id="lower-case-scheme"),
        pytest.param(f"Bearer  {TOKEN}", id="two-spaces"),
        pytest.param("Bearer 令牌", id="non-ascii"),
    ],
)
def test_requests_without_the_right_bearer_token_are_refused(authorization: str | None) -> None:
    channel, rasa = GatewayInput(TOKEN), Rasa()
    stub = request(authorization, {"sender": "o_user", "message": "hi"})

    assert channel._authorised(stub) is False  # type: ignore[arg-type]
    status, body = call(channel, rasa, stub)
    assert status == 401
    assert body == {"error": "unauthorised"}
    assert rasa.received == []


def test_the_right_bearer_token_is_accepted() -> None:
    channel = GatewayInput(TOKEN)

    assert channel._authorised(request(f"Bearer {TOKEN}")) is True  # type: ignore[arg-type]


def test_an_authorised_turn_reaches_rasa_and_its_answer_comes_back() -> None:
    channel, rasa = GatewayInput(TOKEN), Rasa()
    stub = request(
        f"Bearer {TOKEN}", {"sender": "o_user", "message": "找工作", "metadata": {"via": "voice"}}
    )

    status, body = call(channel, rasa, stub)

    assert status == 200
    (message,) = rasa.received
    assert (message.sender_id, message.text, message.metadata) == (
        "o_user",
        "找工作",
        {"via": "voice"},
    )
    assert message.input_channel == "gateway"
    assert [item["text"] for item in body] == ["答：找工作"]


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(None, id="no-body"),
        pytest.param(["sender", "message"], id="list"),
        pytest.param({"message": "hi"}, id="no-sender"),
        pytest.param({"sender": "", "message": "hi"}, id="empty-sender"),
        pytest.param({"sender": 42, "message": "hi"}, id="numeric-sender"),
        pytest.param({"sender": "o_user"}, id="no-message"),
        pytest.param({"sender": "o_user", "message": {"text": "hi"}}, id="object-message"),
    ],
)
def test_authorised_requests_without_sender_and_message_are_400(body: Any) -> None:
    channel, rasa = GatewayInput(TOKEN), Rasa()

    status, _ = call(channel, rasa, request(f"Bearer {TOKEN}", body))

    assert status == 400
    assert rasa.received == []


def test_metadata_that_is_not_an_object_is_dropped() -> None:
    channel, rasa = GatewayInput(TOKEN), Rasa()
    stub = request(f"Bearer {TOKEN}", {"sender": "o_user", "message": "hi", "metadata": "x"})

    call(channel, rasa, stub)

    assert rasa.received[0].metadata is None


@pytest.mark.parametrize("credentials", [None, {}, {"token": ""}, {"token": None}])
def test_the_channel_needs_a_token(credentials: dict[str, Any] | None) -> None:
    with pytest.raises(ValueError, match="token"):
        GatewayInput.from_credentials(credentials)


def test_the_channel_is_built_from_its_credentials() -> None:
    channel = GatewayInput.from_credentials({"token": TOKEN})

    assert isinstance(channel, GatewayInput)
    assert channel.name() == "gateway"
    assert channel._authorised(request(f"Bearer {TOKEN}"))  # type: ignore[arg-type]
