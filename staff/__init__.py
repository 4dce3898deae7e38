"""Staff: accounts and roles, the audit log, and the staff JSON API."""
