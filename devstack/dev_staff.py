"""`make run`: a development admin account for the staff API, so a fresh machine can try it.

Its token is kept in ``instance/dev_admin.token`` (git-ignored, like every dev secret) and is the
same after a restart. Only in development mode.
"""

from __future__ import annotations

from settings import INSTANCE_DIR, Settings
from staff.accounts import add_member, member_named, member_with_token, renew_token
from storage.db import session_scope

DEV_ADMIN = "dev-admin"
TOKEN_FILE = INSTANCE_DIR / "dev_admin.token"


def dev_admin_token(settings: Settings) -> str | None:
    """The dev admin's token (made on first use), or None outside development mode."""
    if not settings.dev_mode:
        return None
    kept = TOKEN_FILE.read_text().strip() if TOKEN_FILE.exists() else ""
    with session_scope(settings.database_url) as session:
        if kept and member_with_token(session, kept) is not None:
            return kept
        token = (
            renew_token(session, DEV_ADMIN)
            if member_named(session, DEV_ADMIN) is not None
            else add_member(session, DEV_ADMIN, "admin")[1]
        )
    INSTANCE_DIR.mkdir(exist_ok=True)
    TOKEN_FILE.write_text(token)
    TOKEN_FILE.chmod(0o600)
    return token
