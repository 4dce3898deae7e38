"""webhook.signature: the URL signature and safe mode's message signature."""

from __future__ import annotations

import pytest

from chat.wechat_sender import sign
from webhook.signature import valid_msg_signature, valid_signature

from .support import official_aes_sample

# WeChat's worked example for the URL check.
TOKEN = "AAAAA"
TIMESTAMP = "1714037059"
NONCE = "486452656"
SIGNATURE = "899cf89e464efb63f54ddac96b0a0a235f53aa78"


def test_wechat_worked_example_is_valid() -> None:
    assert valid_signature(TOKEN, SIGNATURE, TIMESTAMP, NONCE)


@pytest.mark.parametrize(
    ("token", "signature", "timestamp", "nonce"),
    [
        pytest.param("AAAAB", SIGNATURE, TIMESTAMP, NONCE, id="wrong-token"),
        pytest.param(TOKEN, SIGNATURE, "1714037060", NONCE, id="wrong-timestamp"),
        pytest.param(TOKEN, SIGNATURE, TIMESTAMP, "486452657", id="wrong-nonce"),
        pytest.param(TOKEN, SIGNATURE[:-1] + "9", TIMESTAMP, NONCE, id="one-digit-off"),
        pytest.param(TOKEN, SIGNATURE.upper(), TIMESTAMP, NONCE, id="upper-case-hex"),
        pytest.param(TOKEN, SIGNATURE[:20], TIMESTAMP, NONCE, id="truncated"),
        pytest.param(TOKEN, SIGNATURE + "0", TIMESTAMP, NONCE, id="too-long"),
        pytest.param(TOKEN, "", TIMESTAMP, NONCE, id="empty-signature"),
        pytest.param(TOKEN, SIGNATURE, "", NONCE, id="empty-timestamp"),
        pytest.param(TOKEN, SIGNATURE, TIMESTAMP, "", id="empty-nonce"),
        pytest.param(TOKEN, TIMESTAMP, SIGNATURE, NONCE, id="pieces-swapped"),
    ],
)
def test_url_signature_rejects_any_wrong_or_empty_piece(
    token: str, signature: str, timestamp: str, nonce: str
) -> None:
    assert not valid_signature(token, signature, timestamp, nonce)


def test_url_signature_of_empty_pieces_is_rejected_even_when_it_matches() -> None:
    # sha1 of the empty join: a request without timestamp and nonce must not pass on it.
    assert not valid_signature("", sign("", "", ""), "", "")
    assert not valid_signature(TOKEN, sign(TOKEN, "", ""), "", "")


def test_non_ascii_signature_is_rejected_not_raised() -> None:
    assert not valid_signature(TOKEN, "签名" * 20, TIMESTAMP, NONCE)


def test_official_sample_msg_signature_is_valid() -> None:
    sample = official_aes_sample()
    assert valid_msg_signature(
        sample["token"],
        sample["msg_signature"],
        sample["timestamp"],
        sample["nonce"],
        sample["encrypt"],
    )


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"token": "spamtesT"}, id="wrong-token"),
        pytest.param({"timestamp": "1409735670"}, id="wrong-timestamp"),
        pytest.param({"nonce": "1320562133"}, id="wrong-nonce"),
        pytest.param({"encrypt": "A" + "x"}, id="other-ciphertext"),
        pytest.param({"msg_signature": "0" * 40}, id="wrong-signature"),
        pytest.param({"msg_signature": ""}, id="empty-signature"),
        pytest.param({"encrypt": ""}, id="empty-ciphertext"),
        pytest.param({"timestamp": ""}, id="empty-timestamp"),
        pytest.param({"nonce": ""}, id="empty-nonce"),
    ],
)
def test_msg_signature_rejects_any_changed_or_empty_piece(change: dict[str, str]) -> None:
    sample = {**official_aes_sample(), **change}
    assert not valid_msg_signature(
        sample["token"],
        sample["msg_signature"],
        sample["timestamp"],
        sample["nonce"],
        sample["encrypt"],
    )


def test_url_signature_is_not_accepted_as_msg_signature() -> None:
    sample = official_aes_sample()
    url_signature = sign(sample["token"], sample["timestamp"], sample["nonce"])
    assert not valid_msg_signature(
        sample["token"], url_signature, sample["timestamp"], sample["nonce"], sample["encrypt"]
    )
