"""Safe (AES) mode crypto, as the webhook uses it through wechatpy's WeChatCrypto."""

from __future__ import annotations

import base64

import pytest
import xmltodict
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException

from webhook.inbound import TurnKind, parse_turn

from .support import official_aes_sample


def sample_envelope(sample: dict) -> str:
    return (
        f"<xml><ToUserName><![CDATA[{sample['account']}]]></ToUserName>"
        f"<Encrypt><![CDATA[{sample['encrypt']}]]></Encrypt></xml>"
    )


def test_official_sample_decrypts_to_its_text_message() -> None:
    sample = official_aes_sample()
    crypto = WeChatCrypto(sample["token"], sample["encoding_aes_key"], sample["app_id"])

    plaintext = crypto.decrypt_message(
        sample_envelope(sample), sample["msg_signature"], sample["timestamp"], sample["nonce"]
    )

    assert xmltodict.parse(plaintext)["xml"] == sample["plaintext"]


def test_official_sample_parses_to_a_text_turn() -> None:
    sample = official_aes_sample()
    crypto = WeChatCrypto(sample["token"], sample["encoding_aes_key"], sample["app_id"])
    plaintext = crypto.decrypt_message(
        sample_envelope(sample), sample["msg_signature"], sample["timestamp"], sample["nonce"]
    )

    turn = parse_turn(plaintext)

    assert turn.kind is TurnKind.TEXT
    assert turn.text == "abcdteT"
    assert turn.openid == sample["plaintext"]["FromUserName"]
    assert turn.account == sample["account"]
    assert turn.key == f"msg:{sample['plaintext']['MsgId']}"


def test_official_sample_with_another_appid_is_refused() -> None:
    sample = official_aes_sample()
    crypto = WeChatCrypto(sample["token"], sample["encoding_aes_key"], "wx0000000000000000")

    with pytest.raises(InvalidAppIdException):
        crypto.decrypt_message(
            sample_envelope(sample), sample["msg_signature"], sample["timestamp"], sample["nonce"]
        )


def test_official_sample_with_wrong_msg_signature_is_refused() -> None:
    sample = official_aes_sample()
    crypto = WeChatCrypto(sample["token"], sample["encoding_aes_key"], sample["app_id"])

    with pytest.raises(InvalidSignatureException):
        crypto.decrypt_message(
            sample_envelope(sample), "0" * 40, sample["timestamp"], sample["nonce"]
        )


@pytest.mark.parametrize(
    "content", ["你好，我想找工作", "x" * 5000, "<script>alert(1)</script>", "😀 emoji"]
)
def test_reply_encryption_round_trips(content: str) -> None:
    sample = official_aes_sample()
    crypto = WeChatCrypto(sample["token"], sample["encoding_aes_key"], sample["app_id"])
    reply = f"<xml><Content><![CDATA[{content}]]></Content></xml>"

    encrypted = crypto.encrypt_message(reply, "nonce123", "1700000000")
    envelope = xmltodict.parse(encrypted)["xml"]

    assert content not in encrypted
    assert envelope["TimeStamp"] == "1700000000"
    assert envelope["Nonce"] == "nonce123"
    decrypted = crypto.decrypt_message(
        encrypted, envelope["MsgSignature"], envelope["TimeStamp"], envelope["Nonce"]
    )
    assert decrypted == reply


def test_ciphertext_layout_follows_the_protocol() -> None:
    """16 random bytes, 4-byte big-endian length, the XML, then the AppId; IV = key[:16]."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    sample = official_aes_sample()
    key = base64.b64decode(sample["encoding_aes_key"] + "=")
    decryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
    plain = decryptor.update(base64.b64decode(sample["encrypt"])) + decryptor.finalize()
    plain = plain[: -plain[-1]]  # PKCS#7 to 32 bytes

    length = int.from_bytes(plain[16:20], "big")
    xml = plain[20 : 20 + length].decode("utf-8")
    assert plain[20 + length :].decode() == sample["app_id"]
    assert "<Content><![CDATA[abcdteT]]></Content>" in xml
