"""devstack.dev_staff: `make run` gives a development admin token that survives restarts."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from devstack import dev_staff
from staff.accounts import Permission, may, member_with_token
from storage.db import session_scope


def settings(database_url: str, dev_mode: bool = True) -> SimpleNamespace:
    return SimpleNamespace(dev_mode=dev_mode, database_url=database_url)


@pytest.fixture(autouse=True)
def token_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "dev_admin.token"
    monkeypatch.setattr(dev_staff, "TOKEN_FILE", path)
    monkeypatch.setattr(dev_staff, "INSTANCE_DIR", tmp_path)
    return path


def test_the_dev_admin_token_is_made_once_and_kept(database_url: str, token_file: Path) -> None:
    token = dev_staff.dev_admin_token(settings(database_url))  # type: ignore[arg-type]

    assert token and token_file.read_text() == token
    assert dev_staff.dev_admin_token(settings(database_url)) == token  # type: ignore[arg-type]
    with session_scope(database_url) as session:
        member = member_with_token(session, token)
        assert member is not None and may(member, Permission.PERSONAL_DATA)


def test_a_kept_token_that_no_longer_works_is_replaced(database_url: str, token_file: Path) -> None:
    token_file.write_text("a token of another database")

    token = dev_staff.dev_admin_token(settings(database_url))  # type: ignore[arg-type]

    assert token and token != "a token of another database"
    assert token_file.read_text() == token


def test_outside_development_mode_there_is_no_dev_admin(
    database_url: str, token_file: Path
) -> None:
    assert dev_staff.dev_admin_token(settings(database_url, dev_mode=False)) is None  # type: ignore[arg-type]
    assert not token_file.exists()
