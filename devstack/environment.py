"""The environment every process of a local stack shares, and which processes it needs."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from urllib.parse import urlsplit

from settings import PROJECT_ROOT, Settings, load_settings

EMBEDDED_REDIS_URL = "redis://127.0.0.1:6390/0"
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


def settings_as_environment(settings: Settings) -> dict[str, str]:
    """Settings written back as environment names, so every process resolves the same values."""
    return {
        "APP_ENV": settings.app_env,
        "PORT": str(settings.port),
        "WECHAT_TOKEN": settings.wechat_token,
        "WECHAT_APP_ID": settings.wechat_app_id,
        "WECHAT_APP_SECRET": settings.wechat_app_secret,
        "WECHAT_ENCODING_AES_KEY": settings.wechat_encoding_aes_key,
        "WECHAT_API_BASE_URL": settings.wechat_api_base_url,
        "REDIS_URL": settings.redis_url,
        "DATABASE_URL": settings.database_url,
        "RASA_URL": settings.rasa_url,
        "RASA_TOKEN": settings.rasa_token,
        "ACTION_SERVER_URL": settings.action_server_url,
        "SECRET_KEY": settings.secret_key,
        "DATA_KEY": settings.data_key,
        "REPLY_BUDGET_SECONDS": str(settings.reply_budget_seconds),
    }


def stack_environment(
    base: Mapping[str, str], model_path: str
) -> tuple[dict[str, str], list[str], Settings]:
    """(environment, process names, settings) for a stack started from `base`."""
    env = dict(base)
    env.setdefault("APP_ENV", "development")
    processes = ["rasa", "actions", "web", "worker"]
    if not env.get("REDIS_URL"):
        env["REDIS_URL"] = EMBEDDED_REDIS_URL
        processes.insert(0, "redis")
    settings = load_settings(env)
    env.update(settings_as_environment(settings))
    fake_api = urlsplit(settings.wechat_api_base_url)
    if settings.uses_fake_wechat and fake_api.hostname in LOOPBACK_HOSTS:
        processes.insert(0, "wechat")
    env["RASA_PORT"] = str(urlsplit(settings.rasa_url).port or 5005)
    env["ACTION_SERVER_PORT"] = str(urlsplit(settings.action_server_url).port or 5055)
    env["WEB_PORT"] = str(settings.port)
    env["RASA_MODEL"] = model_path
    # Rasa would otherwise report usage and errors to its vendor over the network.
    env["RASA_TELEMETRY_ENABLED"] = "false"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")]))
    env["PATH"] = os.pathsep.join([os.path.dirname(sys.executable), env.get("PATH", "")])
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    # Rasa's dependencies warn about their own deprecations at every start: noise in our logs.
    env.setdefault("PYTHONWARNINGS", "ignore::DeprecationWarning")
    return env, processes, settings
