"""Staff accounts: tokens kept as hashes, roles and what they permit, the command line."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from staff import __main__ as staff_cli
from staff.accounts import (
    ROLES,
    AccountError,
    Permission,
    add_member,
    may,
    member_with_token,
    renew_token,
    set_active,
)
from storage.db import session_scope
from storage.models import StaffMember


def test_the_token_is_kept_only_as_a_hash_and_finds_its_member(database_url: str) -> None:
    with session_scope(database_url) as session:
        member, token = add_member(session, "li", "postings_officer")
        assert token not in member.token_hash
        assert member_with_token(session, token) is member
        assert member_with_token(session, token + "x") is None
        assert member_with_token(session, "") is None


def test_a_renewed_token_replaces_the_old_one(database_url: str) -> None:
    with session_scope(database_url) as session:
        _member, old = add_member(session, "li", "admin")
        new = renew_token(session, "li")
        assert member_with_token(session, old) is None
        assert member_with_token(session, new) is not None


def test_a_disabled_member_has_no_token_and_no_permission(database_url: str) -> None:
    with session_scope(database_url) as session:
        member, token = add_member(session, "li", "admin")
        set_active(session, "li", False)
        assert member_with_token(session, token) is None
        assert not may(member, Permission.POSTINGS)


@pytest.mark.parametrize(
    ("role", "permitted"),
    [
        ("postings_officer", {Permission.POSTINGS}),
        ("registration_officer", {Permission.REGISTRATIONS}),
        ("registration_supervisor", {Permission.REGISTRATIONS, Permission.PERSONAL_DATA}),
        ("admin", set(Permission)),
    ],
)
def test_each_role_permits_exactly_its_own(database_url: str, role: str, permitted: set) -> None:
    with session_scope(database_url) as session:
        member, _token = add_member(session, f"{role}-1", role)
        assert {permission for permission in Permission if may(member, permission)} == permitted


@pytest.mark.parametrize(
    ("username", "role"), [("li", "superuser"), ("", "admin"), ("x" * 41, "admin")]
)
def test_a_bad_account_is_refused(database_url: str, username: str, role: str) -> None:
    with session_scope(database_url) as session, pytest.raises(AccountError):
        add_member(session, username, role)


def test_a_username_is_taken_once(database_url: str) -> None:
    with session_scope(database_url) as session:
        add_member(session, "li", "admin")
        with pytest.raises(AccountError):
            add_member(session, "li", "postings_officer")


def test_the_command_line_prints_the_token_once_and_it_works(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("DATA_KEY", "k" * 43 + "=")

    assert staff_cli.main(["add", "wang", "--role", "registration_officer"]) == 0
    token = capsys.readouterr().out.strip().splitlines()[-1]
    assert staff_cli.main(["add", "wang", "--role", "admin"]) == 1
    assert staff_cli.main(["disable", "wang"]) == 0
    assert staff_cli.main(["list"]) == 0

    assert "wang\tregistration_officer（已停用）" in capsys.readouterr().out
    with session_scope(database_url) as session:
        member = session.execute(select(StaffMember)).scalar_one()
        assert member.role == "registration_officer" and not member.active
        set_active(session, "wang", True)
        assert member_with_token(session, token) is member


def test_every_role_is_named_in_the_command_line_help() -> None:
    assert all(role in staff_cli.__doc__ for role in ROLES)
