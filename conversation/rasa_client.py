"""A small client for our Rasa channel (`bot.channels.GatewayInput`)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import requests
from requests.adapters import HTTPAdapter

logger = logging.getLogger(__name__)


class RasaUnavailable(RuntimeError):
    """Rasa could not take the message (not reached, or refused it before processing)."""


@dataclass(frozen=True)
class BotReply:
    """What Rasa said in one turn, merged for a single WeChat message."""

    texts: tuple[str, ...]
    # What the bot's question asks for, when a response says so (``custom: {expects: name}``):
    # the webhook then seals the user's answer even when it is only a name.
    expects: str | None = None

    @property
    def text(self) -> str:
        return "\n\n".join(self.texts)


def _render(message: dict[str, Any]) -> str:
    """Text of one Rasa message; buttons become numbered lines the user can type back."""
    parts = [message["text"]] if message.get("text") else []
    buttons = message.get("buttons") or []
    parts.extend(f"{index}. {button.get('title', '')}" for index, button in enumerate(buttons, 1))
    return "\n".join(parts)


def _expects(messages: list[dict[str, Any]]) -> str | None:
    for message in reversed(messages):
        custom = message.get("custom")
        if isinstance(custom, dict) and isinstance(custom.get("expects"), str):
            return custom["expects"]
    return None


class RasaClient:
    def __init__(
        self, base_url: str, token: str, timeout_seconds: float = 60.0, connections: int = 32
    ) -> None:
        self.webhook_url = f"{base_url.rstrip('/')}/webhooks/gateway/webhook"
        self.status_url = f"{base_url.rstrip('/')}/status"
        self.token = token
        self.timeout_seconds = timeout_seconds
        self.http = requests.Session()
        # One kept-alive connection per turn thread: a new connection to a busy Rasa is slow.
        adapter = HTTPAdapter(pool_connections=1, pool_maxsize=connections)
        self.http.mount("http://", adapter)
        self.http.mount("https://", adapter)

    def send(self, openid: str, text: str, metadata: dict[str, Any] | None = None) -> BotReply:
        """Send one user turn and return Rasa's answer.

        Only failures that prove Rasa did not process the message raise `RasaUnavailable`;
        a timeout after sending is not retried, since that would run the turn twice.
        """
        try:
            response = self.http.post(
                self.webhook_url,
                json={"sender": openid, "message": text, "metadata": metadata or {}},
                headers={"Authorization": f"Bearer {self.token}"},
                timeout=(3.05, self.timeout_seconds),
            )
        except requests.ConnectionError as exc:
            raise RasaUnavailable("Rasa is not reachable") from exc
        if response.status_code in (401, 502, 503):
            raise RasaUnavailable(f"Rasa refused the turn: HTTP {response.status_code}")
        response.raise_for_status()
        messages = response.json()
        if not isinstance(messages, list) or not all(isinstance(m, dict) for m in messages):
            raise ValueError("Rasa answered with something other than a list of messages")
        texts = tuple(rendered for rendered in map(_render, messages) if rendered)
        return BotReply(texts=texts, expects=_expects(messages))

    def status(self) -> dict[str, Any]:
        """Rasa's /status (needs the API token): raises when Rasa is down."""
        response = self.http.get(self.status_url, params={"token": self.token}, timeout=3)
        response.raise_for_status()
        return response.json()
