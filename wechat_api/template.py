"""Template messages: how a new posting reaches a subscriber outside the 48-hour window."""

from __future__ import annotations

from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException

from wechat_api.errors import translate


def send_template(
    client: WeChatClient, openid: str, template_id: str, data: dict[str, dict[str, str]]
) -> None:
    """Send one template message; raises a `WeChatSendError` subclass with WeChat's code."""
    try:
        client.message.send_template(openid, template_id, data)
    except WeChatClientException as exc:
        raise translate(exc) from exc
