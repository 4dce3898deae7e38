"""Settings and clients the actions share, built on first use (never at import time)."""

from __future__ import annotations

import os
from datetime import date
from functools import lru_cache

from settings import Settings, load_settings


@lru_cache(maxsize=1)
def settings() -> Settings:
    return load_settings()


def database_url() -> str:
    return settings().database_url


def today() -> date:
    """The date answers are relative to; ANSWER_DATE (YYYY-MM-DD) pins it for tests and demos."""
    pinned = os.environ.get("ANSWER_DATE", "").strip()
    return date.fromisoformat(pinned) if pinned else date.today()
