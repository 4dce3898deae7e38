"""Personal data at rest: sealed with the DATA_KEY (Fernet: AES-128-CBC and HMAC-SHA256) before
it is written, opened only to be shown to staff or the person it belongs to, and masked on
screens ("138****5678")."""

from __future__ import annotations

import re

from cryptography.fernet import Fernet, InvalidToken

_PHONE = re.compile(r"(?<!\d)(1\d{2})\d{4}(\d{4})(?!\d)|(?<!\d)(0\d{2,3}-?)\d{3,4}(\d{4})(?!\d)")


class SealError(ValueError):
    """A sealed value cannot be opened with this key."""


def seal(text: str, data_key: str) -> str:
    return Fernet(data_key.encode()).encrypt(text.encode("utf-8")).decode("ascii")


def unseal(token: str, data_key: str) -> str:
    try:
        return Fernet(data_key.encode()).decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, ValueError) as error:
        raise SealError("the value was sealed with another key, or altered") from error


def mask_phones(text: str) -> str:
    """``text`` with the middle digits of each phone number starred: 13812345678 → 138****5678,
    027-87654321 → 027-****4321."""

    def masked(match: re.Match[str]) -> str:
        if match.group(1):
            return f"{match.group(1)}****{match.group(2)}"
        return f"{match.group(3)}****{match.group(4)}"

    return _PHONE.sub(masked, text)
