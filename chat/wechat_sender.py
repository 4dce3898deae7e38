"""Builds signed (and, in safe mode, encrypted) WeChat messages, as WeChat's servers send them.

Used by `make chat`, the integration tests and the benchmark.
"""

from __future__ import annotations

import itertools
import random
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

import requests
import xmltodict
from wechatpy.crypto import WeChatCrypto
from wechatpy.utils import WeChatSigner

ACCOUNT_ID = "gh_jobassist"


def sign(*parts: str) -> str:
    signer = WeChatSigner()
    signer.add_data(*parts)
    return signer.signature


def _cdata(value: str) -> str:
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def text_xml(openid: str, content: str, msg_id: int, created: int | None = None) -> str:
    return (
        f"<xml><ToUserName>{_cdata(ACCOUNT_ID)}</ToUserName>"
        f"<FromUserName>{_cdata(openid)}</FromUserName>"
        f"<CreateTime>{created or int(time.time())}</CreateTime>"
        f"<MsgType><![CDATA[text]]></MsgType><Content>{_cdata(content)}</Content>"
        f"<MsgId>{msg_id}</MsgId></xml>"
    )


def voice_xml(openid: str, recognition: str, msg_id: int) -> str:
    return (
        f"<xml><ToUserName>{_cdata(ACCOUNT_ID)}</ToUserName>"
        f"<FromUserName>{_cdata(openid)}</FromUserName><CreateTime>{int(time.time())}</CreateTime>"
        "<MsgType><![CDATA[voice]]></MsgType><MediaId><![CDATA[media]]></MediaId>"
        f"<Format><![CDATA[amr]]></Format><Recognition>{_cdata(recognition)}</Recognition>"
        f"<MsgId>{msg_id}</MsgId></xml>"
    )


def location_xml(openid: str, latitude: float, longitude: float, label: str, msg_id: int) -> str:
    return (
        f"<xml><ToUserName>{_cdata(ACCOUNT_ID)}</ToUserName>"
        f"<FromUserName>{_cdata(openid)}</FromUserName><CreateTime>{int(time.time())}</CreateTime>"
        f"<MsgType><![CDATA[location]]></MsgType><Location_X>{latitude}</Location_X>"
        f"<Location_Y>{longitude}</Location_Y><Scale>15</Scale><Label>{_cdata(label)}</Label>"
        f"<MsgId>{msg_id}</MsgId></xml>"
    )


def event_xml(
    openid: str, event: str, created: int | None = None, event_key: str = "", extra: str = ""
) -> str:
    key = f"<EventKey>{_cdata(event_key)}</EventKey>" if event_key else ""
    return (
        f"<xml><ToUserName>{_cdata(ACCOUNT_ID)}</ToUserName>"
        f"<FromUserName>{_cdata(openid)}</FromUserName>"
        f"<CreateTime>{created or int(time.time())}</CreateTime>"
        f"<MsgType><![CDATA[event]]></MsgType><Event>{_cdata(event)}</Event>{key}{extra}</xml>"
    )


def location_event_xml(openid: str, latitude: float, longitude: float) -> str:
    """The LOCATION event WeChat sends on entering the chat when location reporting is on."""
    return event_xml(
        openid,
        "LOCATION",
        extra=f"<Latitude>{latitude}</Latitude><Longitude>{longitude}</Longitude>"
        "<Precision>65.0</Precision>",
    )


def image_xml(openid: str, msg_id: int) -> str:
    return (
        f"<xml><ToUserName>{_cdata(ACCOUNT_ID)}</ToUserName>"
        f"<FromUserName>{_cdata(openid)}</FromUserName><CreateTime>{int(time.time())}</CreateTime>"
        "<MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[http://example.invalid/p.jpg]]>"
        f"</PicUrl><MediaId><![CDATA[media]]></MediaId><MsgId>{msg_id}</MsgId></xml>"
    )


_msg_ids: Iterator[int] = itertools.count(random.randrange(10**15, 9 * 10**15))


def next_msg_id() -> int:
    return next(_msg_ids)


@dataclass
class WeChatSender:
    """Posts messages to our webhook the way WeChat's servers do."""

    webhook_url: str
    token: str
    app_id: str = ""
    aes_key: str = ""
    safe_mode: bool = False
    http: requests.Session = field(default_factory=requests.Session)

    def query(self, body: str | None = None) -> tuple[dict[str, str], str]:
        timestamp, nonce = str(int(time.time())), secrets.token_hex(5)
        params = {
            "signature": sign(self.token, timestamp, nonce),
            "timestamp": timestamp,
            "nonce": nonce,
        }
        if not self.safe_mode or body is None:
            return params, body or ""
        crypto = WeChatCrypto(self.token, self.aes_key, self.app_id)
        envelope = xmltodict.parse(crypto.encrypt_message(body, nonce, timestamp))["xml"]
        encrypted = envelope["Encrypt"]
        params.update(
            encrypt_type="aes", msg_signature=sign(self.token, timestamp, nonce, encrypted)
        )
        return (
            params,
            f"<xml><ToUserName>{_cdata(ACCOUNT_ID)}</ToUserName><Encrypt>{_cdata(encrypted)}</Encrypt></xml>",
        )

    def post(self, xml: str, timeout: float = 15.0) -> requests.Response:
        params, body = self.query(xml)
        return self.http.post(
            self.webhook_url,
            params=params,
            data=body.encode("utf-8"),
            timeout=timeout,
            headers={"Content-Type": "text/xml"},
        )

    def reply_text(self, response: requests.Response) -> str | None:
        """The passive reply's text, or None for `success` / an empty body."""
        body = response.text
        if response.status_code != 200 or body.strip() in ("", "success"):
            return None
        document = xmltodict.parse(body)["xml"]
        if "Encrypt" in document:
            crypto = WeChatCrypto(self.token, self.aes_key, self.app_id)
            decrypted = crypto.decrypt_message(
                body, document["MsgSignature"], document["TimeStamp"], document["Nonce"]
            )
            document = xmltodict.parse(decrypted)["xml"]
        return document.get("Content")


__all__ = [
    "WeChatSender",
    "escape",
    "event_xml",
    "image_xml",
    "location_event_xml",
    "location_xml",
    "next_msg_id",
    "text_xml",
    "voice_xml",
]
