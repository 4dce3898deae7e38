"""WeChat signatures, computed by wechatpy and compared in constant time."""

from __future__ import annotations

import hmac

from wechatpy.utils import WeChatSigner


def _sign(*parts: str) -> str:
    signer = WeChatSigner()
    signer.add_data(*parts)
    return signer.signature


def valid_signature(token: str, signature: str, timestamp: str, nonce: str) -> bool:
    """The URL signature on every request: sha1 of sorted (token, timestamp, nonce)."""
    if not (signature and timestamp and nonce):
        return False
    return hmac.compare_digest(_sign(token, timestamp, nonce).encode(), signature.encode())


def valid_msg_signature(
    token: str, msg_signature: str, timestamp: str, nonce: str, encrypted: str
) -> bool:
    """Safe mode's message signature: sha1 of sorted (token, timestamp, nonce, Encrypt)."""
    if not (msg_signature and timestamp and nonce and encrypted):
        return False
    expected = _sign(token, timestamp, nonce, encrypted)
    return hmac.compare_digest(expected.encode(), msg_signature.encode())
