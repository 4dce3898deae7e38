"""Customer-service messages: how a late answer reaches the user."""

from __future__ import annotations

from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException

from wechat_api.errors import translate


def send_text(client: WeChatClient, openid: str, text: str) -> None:
    """Send one text message; raises a `WeChatSendError` subclass with WeChat's code."""
    try:
        client.message.send_text(openid, text)
    except WeChatClientException as exc:
        raise translate(exc) from exc
