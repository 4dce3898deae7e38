"""Bring a database to the newest schema: `python -m storage.migrate` (uses DATABASE_URL)."""

from __future__ import annotations

import os

from alembic import command
from alembic.config import Config

from settings import PROJECT_ROOT


def upgrade(database_url: str) -> None:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    command.upgrade(config, "head")


if __name__ == "__main__":
    upgrade(os.environ["DATABASE_URL"])
