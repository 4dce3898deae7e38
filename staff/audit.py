"""The audit log: who did what to which record, and when."""

from __future__ import annotations

from sqlalchemy.orm import Session

from storage.models import AuditEntry, StaffMember


def record(session: Session, member: StaffMember | None, action: str, target: str = "") -> None:
    """Add an entry in the caller's transaction, so it stands or falls with what it records.
    ``member`` None means the command line, run by whoever may run it on the server."""
    session.add(
        AuditEntry(staff_id=member.id if member else None, action=action, target=target[:100])
    )
