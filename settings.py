"""Settings for every process, read from the environment in one place.

Dev mode (``APP_ENV=development``, what ``make run`` uses) fills in what a local run needs:
generated secrets kept in ``instance/``, SQLite in ``instance/``, dev WeChat credentials and the
local fake of WeChat's API. Outside dev mode a missing secret stops start-up with its name.
"""

from __future__ import annotations

import base64
import binascii
import math
import os
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent
INSTANCE_DIR = PROJECT_ROOT / "instance"

WECHAT_API_BASE_URL = "https://api.weixin.qq.com/cgi-bin/"
DEV_FAKE_WECHAT_URL = "http://127.0.0.1:8090/cgi-bin/"

# Values a local run may use; production must set its own.
DEV_WECHAT = {
    "WECHAT_TOKEN": "jobassist-dev-token",
    "WECHAT_APP_ID": "wx0000000000devapp",
    "WECHAT_APP_SECRET": "dev-app-secret",
    "WECHAT_ENCODING_AES_KEY": "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
}
REQUIRED_SECRETS = (
    "WECHAT_TOKEN",
    "WECHAT_APP_ID",
    "WECHAT_APP_SECRET",
    "RASA_TOKEN",
    "SECRET_KEY",
    "DATA_KEY",
    "REDIS_URL",
    "DATABASE_URL",
)


class ConfigurationError(RuntimeError):
    """A setting is missing or wrong; the message names it."""


@dataclass(frozen=True)
class Settings:
    app_env: str
    port: int
    wechat_token: str
    wechat_app_id: str
    wechat_app_secret: str
    wechat_encoding_aes_key: str
    wechat_api_base_url: str
    redis_url: str
    database_url: str
    rasa_url: str
    rasa_token: str
    action_server_url: str
    secret_key: str
    data_key: str
    reply_budget_seconds: float = 4.0
    max_body_bytes: int = 1_000_000
    # Job pushes: the "新岗位通知" template ("" = none: customer-service messages, else held),
    # pushes per user a day, and how often the worker looks for newly visible postings.
    job_template_id: str = ""
    push_daily_limit: int = 3
    push_sweep_seconds: float = 30.0
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def dev_mode(self) -> bool:
        return self.app_env == "development"

    @property
    def uses_fake_wechat(self) -> bool:
        return not self.wechat_api_base_url.startswith(WECHAT_API_BASE_URL)

    @property
    def action_server_health_url(self) -> str:
        parts = urlsplit(self.action_server_url)
        return f"{parts.scheme}://{parts.netloc}/health"


def _instance_secret(name: str) -> str:
    """A dev secret generated once and kept in instance/, so restarts keep sessions and data."""
    INSTANCE_DIR.mkdir(exist_ok=True)
    path = INSTANCE_DIR / f"{name.lower()}.secret"
    if not path.exists():
        if name == "DATA_KEY":
            from cryptography.fernet import Fernet

            value = Fernet.generate_key().decode()
        else:
            value = secrets.token_urlsafe(32)
        path.write_text(value)
        path.chmod(0o600)
    return path.read_text().strip()


def _valid_aes_key(key: str) -> bool:
    try:
        return len(key) == 43 and len(base64.b64decode(key + "=", validate=True)) == 32
    except binascii.Error:
        return False


def _getter(env: Mapping[str, str], dev: bool) -> Callable[..., str]:
    def get(name: str, dev_default: str | Callable[[], str] | None = None) -> str:
        """The environment's value; in dev mode the default (called only when needed)."""
        value = env.get(name, "").strip()
        if value:
            return value
        if not dev or dev_default is None:
            return ""
        return dev_default() if callable(dev_default) else dev_default

    return get


def _data_values(get: Callable[..., str]) -> dict[str, str]:
    """The database and the key sealing personal data, which every process needs."""
    return {
        "DATA_KEY": get("DATA_KEY", partial(_instance_secret, "DATA_KEY")),
        "DATABASE_URL": get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'jobassist.db'}"),
    }


def _require(values: Mapping[str, str], names: Iterable[str]) -> None:
    missing = [name for name in names if not values[name]]
    if missing:
        raise ConfigurationError(
            "Missing required setting(s): "
            + ", ".join(missing)
            + ". Set them in the environment (see .env.example)."
        )


@dataclass(frozen=True)
class DataSettings:
    """What a staff command on stored data needs: the database and the key sealing personal
    data."""

    database_url: str
    data_key: str


def load_data_settings(environ: Mapping[str, str] | None = None) -> DataSettings:
    env = dict(os.environ if environ is None else environ)
    values = _data_values(_getter(env, env.get("APP_ENV", "production") == "development"))
    _require(values, values)
    return DataSettings(database_url=values["DATABASE_URL"], data_key=values["DATA_KEY"])


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Build settings from the environment (``os.environ`` unless given)."""
    env = dict(os.environ if environ is None else environ)
    app_env = env.get("APP_ENV", "production")
    dev = app_env == "development"
    get = _getter(env, dev)

    values = {
        "WECHAT_TOKEN": get("WECHAT_TOKEN", DEV_WECHAT["WECHAT_TOKEN"]),
        "WECHAT_APP_ID": get("WECHAT_APP_ID", DEV_WECHAT["WECHAT_APP_ID"]),
        "WECHAT_APP_SECRET": get("WECHAT_APP_SECRET", DEV_WECHAT["WECHAT_APP_SECRET"]),
        "WECHAT_ENCODING_AES_KEY": get(
            "WECHAT_ENCODING_AES_KEY", DEV_WECHAT["WECHAT_ENCODING_AES_KEY"]
        ),
        "RASA_TOKEN": get("RASA_TOKEN", partial(_instance_secret, "RASA_TOKEN")),
        "SECRET_KEY": get("SECRET_KEY", partial(_instance_secret, "SECRET_KEY")),
        **_data_values(get),
        "REDIS_URL": get("REDIS_URL"),
    }
    _require(values, REQUIRED_SECRETS)

    aes_key = values["WECHAT_ENCODING_AES_KEY"]
    if aes_key and not _valid_aes_key(aes_key):
        raise ConfigurationError(
            "WECHAT_ENCODING_AES_KEY must be the 43-character EncodingAESKey from the account's "
            "server settings."
        )

    fake_wanted = dev and values["WECHAT_APP_SECRET"] == DEV_WECHAT["WECHAT_APP_SECRET"]
    api_base = (
        get("WECHAT_API_BASE_URL", DEV_FAKE_WECHAT_URL if fake_wanted else WECHAT_API_BASE_URL)
        or WECHAT_API_BASE_URL
    )
    if not api_base.endswith("/"):
        api_base += "/"

    try:
        port = int(get("PORT") or "8000")
        budget = float(get("REPLY_BUDGET_SECONDS") or "4.0")
        daily_limit = int(get("PUSH_DAILY_LIMIT") or "3")
        sweep = float(get("PUSH_SWEEP_SECONDS") or "30")
    except ValueError as exc:
        raise ConfigurationError(
            "PORT, REPLY_BUDGET_SECONDS, PUSH_DAILY_LIMIT and PUSH_SWEEP_SECONDS must be numbers: "
            f"{exc}"
        ) from exc
    if not math.isfinite(budget) or budget < 0:
        raise ConfigurationError("REPLY_BUDGET_SECONDS must be a finite number of seconds >= 0")
    if daily_limit < 0 or not math.isfinite(sweep) or sweep <= 0:
        raise ConfigurationError("PUSH_DAILY_LIMIT must be >= 0 and PUSH_SWEEP_SECONDS > 0")

    return Settings(
        app_env=app_env,
        port=port,
        wechat_token=values["WECHAT_TOKEN"],
        wechat_app_id=values["WECHAT_APP_ID"],
        wechat_app_secret=values["WECHAT_APP_SECRET"],
        wechat_encoding_aes_key=values["WECHAT_ENCODING_AES_KEY"],
        wechat_api_base_url=api_base,
        redis_url=values["REDIS_URL"],
        database_url=values["DATABASE_URL"],
        rasa_url=(get("RASA_URL") or "http://127.0.0.1:5005").rstrip("/"),
        rasa_token=values["RASA_TOKEN"],
        action_server_url=get("ACTION_SERVER_URL") or "http://127.0.0.1:5055/webhook",
        secret_key=values["SECRET_KEY"],
        data_key=values["DATA_KEY"],
        reply_budget_seconds=budget,
        job_template_id=get("WECHAT_JOB_TEMPLATE_ID"),
        push_daily_limit=daily_limit,
        push_sweep_seconds=sweep,
    )


def today() -> date:
    """The date answers and postings are relative to; ANSWER_DATE (YYYY-MM-DD) pins it for
    tests and demos."""
    pinned = os.environ.get("ANSWER_DATE", "").strip()
    return date.fromisoformat(pinned) if pinned else date.today()
