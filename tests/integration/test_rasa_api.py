"""Rasa's HTTP API and our gateway channel both refuse callers without the token."""

from __future__ import annotations

import pytest
import requests

from devstack.stack import LocalStack

from .helpers import rasa_user_events


def rasa(stack: LocalStack) -> tuple[str, str]:
    assert stack.settings is not None
    return stack.settings.rasa_url, stack.settings.rasa_token


@pytest.mark.parametrize("token", [None, "", "wrong-token"], ids=["absent", "empty", "wrong"])
def test_tracker_api_requires_the_token(stack: LocalStack, token: str | None) -> None:
    rasa_url, _ = rasa(stack)
    params = {} if token is None else {"token": token}

    response = requests.get(f"{rasa_url}/conversations/x/tracker", params=params, timeout=10)

    assert response.status_code in (401, 403)
    assert "events" not in response.text


REFUSED_AUTHORIZATIONS = {
    "absent": None,
    "wrong": "Bearer wrong-token",
    "without-scheme": "{token}",
    "basic-scheme": "Basic {token}",
}


@pytest.mark.parametrize(
    "authorization", REFUSED_AUTHORIZATIONS.values(), ids=REFUSED_AUTHORIZATIONS.keys()
)
def test_gateway_channel_requires_the_bearer_token(
    stack: LocalStack, openid: str, authorization: str | None
) -> None:
    rasa_url, token = rasa(stack)
    webhook = f"{rasa_url}/webhooks/gateway/webhook"
    message = {"sender": openid, "message": "你好"}
    headers = {} if authorization is None else {"Authorization": authorization.format(token=token)}

    refused = requests.post(webhook, json=message, headers=headers, timeout=10)

    assert refused.status_code == 401
    assert rasa_user_events(stack, openid) == []
    # The same request with the token is taken: the refusal was about the token alone.
    accepted = requests.post(
        webhook, json=message, headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
    assert accepted.status_code == 200
    assert accepted.json() and accepted.json()[0].get("text")
    assert [event["text"] for event in rasa_user_events(stack, openid)] == ["你好"]
