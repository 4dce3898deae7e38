"""settings.load_settings: required secrets, dev defaults, and which WeChat API host is used."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet

import settings
from settings import (
    DEV_FAKE_WECHAT_URL,
    DEV_WECHAT,
    REQUIRED_SECRETS,
    WECHAT_API_BASE_URL,
    ConfigurationError,
    load_data_settings,
    load_settings,
)

PRODUCTION = {
    "APP_ENV": "production",
    "WECHAT_TOKEN": "prod-token",
    "WECHAT_APP_ID": "wxprod",
    "WECHAT_APP_SECRET": "prod-secret",
    "RASA_TOKEN": "prod-rasa-token",
    "SECRET_KEY": "prod-secret-key",
    "DATA_KEY": "ZmDfcTF7_60GrrY167zsiPd67pEvs0aGOv2oasOM1Pg=",
    "REDIS_URL": "redis://redis.internal:6379/0",
    "DATABASE_URL": "postgresql://jobassist@db.internal/jobassist",
}


@pytest.fixture(autouse=True)
def instance_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Dev secrets are generated here, never in the project's instance/."""
    monkeypatch.setattr(settings, "INSTANCE_DIR", tmp_path)
    return tmp_path


def test_production_settings_are_read_from_the_environment() -> None:
    loaded = load_settings(PRODUCTION)

    assert loaded.dev_mode is False
    assert loaded.wechat_token == "prod-token"
    assert loaded.database_url == PRODUCTION["DATABASE_URL"]
    assert loaded.wechat_api_base_url == WECHAT_API_BASE_URL
    assert loaded.uses_fake_wechat is False


@pytest.mark.parametrize("missing", REQUIRED_SECRETS)
@pytest.mark.parametrize("how", ["absent", "empty", "blank"])
def test_outside_dev_mode_a_missing_secret_is_named(missing: str, how: str) -> None:
    environ = dict(PRODUCTION)
    if how == "absent":
        del environ[missing]
    else:
        environ[missing] = "" if how == "empty" else "   "

    with pytest.raises(ConfigurationError) as raised:
        load_settings(environ)

    assert missing in str(raised.value)
    named = {name for name in REQUIRED_SECRETS if name in str(raised.value)}
    assert named == {missing}


def test_no_app_env_means_production() -> None:
    environ = {k: v for k, v in PRODUCTION.items() if k not in ("APP_ENV", "WECHAT_TOKEN")}

    with pytest.raises(ConfigurationError, match="WECHAT_TOKEN"):
        load_settings(environ)


def test_every_missing_secret_is_named_at_once() -> None:
    with pytest.raises(ConfigurationError) as raised:
        load_settings({"APP_ENV": "production"})

    for name in REQUIRED_SECRETS:
        assert name in str(raised.value)


def test_the_error_does_not_reveal_secrets_that_are_set() -> None:
    environ = {k: v for k, v in PRODUCTION.items() if k != "REDIS_URL"}

    with pytest.raises(ConfigurationError) as raised:
        load_settings(environ)

    for name in ("WECHAT_TOKEN", "WECHAT_APP_SECRET", "RASA_TOKEN", "SECRET_KEY", "DATA_KEY"):
        assert PRODUCTION[name] not in str(raised.value)


def test_dev_mode_fills_in_defaults(instance_dir: Path) -> None:
    loaded = load_settings({"APP_ENV": "development", "REDIS_URL": "redis://127.0.0.1:6390/0"})

    assert loaded.dev_mode is True
    assert loaded.wechat_token == DEV_WECHAT["WECHAT_TOKEN"]
    assert loaded.wechat_app_id == DEV_WECHAT["WECHAT_APP_ID"]
    assert loaded.wechat_app_secret == DEV_WECHAT["WECHAT_APP_SECRET"]
    assert loaded.wechat_encoding_aes_key == DEV_WECHAT["WECHAT_ENCODING_AES_KEY"]
    assert loaded.database_url == f"sqlite:///{instance_dir / 'jobassist.db'}"
    assert loaded.rasa_url == "http://127.0.0.1:5005"
    assert loaded.reply_budget_seconds == 4.0
    assert loaded.rasa_token and loaded.secret_key and loaded.data_key
    Fernet(loaded.data_key.encode())  # a usable Fernet key


def test_dev_secrets_are_generated_once_and_kept(instance_dir: Path) -> None:
    environ = {"APP_ENV": "development", "REDIS_URL": "redis://127.0.0.1:6390/0"}

    first, second = load_settings(environ), load_settings(environ)

    assert (first.rasa_token, first.secret_key, first.data_key) == (
        second.rasa_token,
        second.secret_key,
        second.data_key,
    )
    assert first.rasa_token != first.secret_key
    secret_file = instance_dir / "rasa_token.secret"
    assert secret_file.read_text().strip() == first.rasa_token
    assert secret_file.stat().st_mode & 0o077 == 0


def test_dev_mode_takes_values_from_the_environment_first() -> None:
    loaded = load_settings(
        {"APP_ENV": "development", "REDIS_URL": "redis://x/0", "WECHAT_TOKEN": "mine"}
    )

    assert loaded.wechat_token == "mine"


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        pytest.param({"APP_ENV": "development"}, DEV_FAKE_WECHAT_URL, id="dev-with-dev-secret"),
        pytest.param(
            {"APP_ENV": "development", "WECHAT_APP_SECRET": "real-secret"},
            WECHAT_API_BASE_URL,
            id="dev-with-a-real-secret",
        ),
        pytest.param(
            {**PRODUCTION, "WECHAT_APP_SECRET": DEV_WECHAT["WECHAT_APP_SECRET"]},
            WECHAT_API_BASE_URL,
            id="production-with-the-dev-secret",
        ),
        pytest.param(PRODUCTION, WECHAT_API_BASE_URL, id="production"),
        pytest.param(
            {**PRODUCTION, "WECHAT_API_BASE_URL": "http://127.0.0.1:9000/cgi-bin"},
            "http://127.0.0.1:9000/cgi-bin/",
            id="explicit-url-gets-a-trailing-slash",
        ),
    ],
)
def test_fake_wechat_is_chosen_only_with_the_dev_secret(
    environ: dict[str, str], expected: str
) -> None:
    loaded = load_settings({"REDIS_URL": "redis://x/0", **environ})

    assert loaded.wechat_api_base_url == expected
    assert loaded.uses_fake_wechat is (expected != WECHAT_API_BASE_URL)


@pytest.mark.parametrize(("name", "value"), [("PORT", "eighty"), ("REPLY_BUDGET_SECONDS", "4s")])
def test_non_numeric_numbers_are_configuration_errors(name: str, value: str) -> None:
    with pytest.raises(ConfigurationError, match=name):
        load_settings({**PRODUCTION, name: value})


def test_numbers_and_urls_are_read() -> None:
    loaded = load_settings(
        {
            **PRODUCTION,
            "PORT": "9001",
            "REPLY_BUDGET_SECONDS": "2.5",
            "RASA_URL": "http://rasa:5005/",
            "ACTION_SERVER_URL": "http://actions:5055/webhook",
        }
    )

    assert loaded.port == 9001
    assert loaded.reply_budget_seconds == 2.5
    assert loaded.rasa_url == "http://rasa:5005"
    assert loaded.action_server_health_url == "http://actions:5055/health"


@pytest.mark.parametrize("budget", ["nan", "inf"])
def test_reply_budget_must_be_a_finite_number(budget: str) -> None:
    with pytest.raises(ConfigurationError, match="REPLY_BUDGET_SECONDS"):
        load_settings({**PRODUCTION, "REPLY_BUDGET_SECONDS": budget})


@pytest.mark.parametrize(
    "aes_key", ["short", "!" * 43, "abcdefghijklmnopqrstuvwxyz0123456789ABCDEF"]
)
def test_a_malformed_encoding_aes_key_is_refused_by_name(aes_key: str) -> None:
    with pytest.raises(ConfigurationError, match="WECHAT_ENCODING_AES_KEY"):
        load_settings(
            {"APP_ENV": "development", "REDIS_URL": "redis://x", "WECHAT_ENCODING_AES_KEY": aes_key}
        )


def test_a_staff_command_needs_only_the_database_and_the_data_key() -> None:
    data = load_data_settings(
        {"DATABASE_URL": "sqlite:///x.db", "DATA_KEY": PRODUCTION["DATA_KEY"]}
    )
    assert (data.database_url, data.data_key) == ("sqlite:///x.db", PRODUCTION["DATA_KEY"])
    with pytest.raises(ConfigurationError, match="DATA_KEY"):
        load_data_settings({"APP_ENV": "production", "DATABASE_URL": "sqlite:///x.db"})
    # In dev mode both have the defaults every process uses.
    dev = load_data_settings({"APP_ENV": "development"})
    full = load_settings({"APP_ENV": "development", "REDIS_URL": "redis://x"})
    assert (dev.database_url, dev.data_key) == (full.database_url, full.data_key)
