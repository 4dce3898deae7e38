"""`/api/staff`: the staff JSON API (the console's pages come later and will use the same code).

Every request carries a staff token (``Authorization: Bearer …``, see ``python -m staff``);
each view names the permissions it needs. Errors answer in JSON: 400 a bad request, 401 no or a
wrong token, 403 a role without the permission, 404 not found, 409 a decision the record's state
no longer allows, 413 too large, 422 a file or request that cannot be taken as it is (with what to
fix).
"""

from __future__ import annotations

from flask import Blueprint

staff_api = Blueprint("staff_api", __name__, url_prefix="/api/staff")

# The views register themselves on the blueprint.
from staff.api import errors, postings, registrations  # noqa: E402,F401
