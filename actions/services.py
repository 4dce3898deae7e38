"""Settings and clients the actions share, built on first use (never at import time)."""

from __future__ import annotations

from functools import lru_cache

from settings import Settings, load_settings
from settings import today as today


@lru_cache(maxsize=1)
def settings() -> Settings:
    return load_settings()


def database_url() -> str:
    return settings().database_url
