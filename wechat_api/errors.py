"""WeChat API errors we act on, each carrying its WeChat error code."""

from __future__ import annotations

from wechatpy.exceptions import WeChatClientException


class WeChatSendError(RuntimeError):
    code: int = 0

    def __init__(self, code: int, message: str = "") -> None:
        super().__init__(f"WeChat error {code}: {message}")
        self.code = code


class OutsideServiceWindow(WeChatSendError):
    """45015: the user has not written to us recently enough for a customer-service message."""


class UserUnfollowed(WeChatSendError):
    """43004: the user no longer follows the account."""


_BY_CODE: dict[int, type[WeChatSendError]] = {45015: OutsideServiceWindow, 43004: UserUnfollowed}


def translate(exc: WeChatClientException) -> WeChatSendError:
    code = int(exc.errcode or 0)
    return _BY_CODE.get(code, WeChatSendError)(code, str(exc.errmsg or ""))
