"""followers and handoffs

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "followers",
        sa.Column("openid", sa.String(64), primary_key=True),
        sa.Column("followed", sa.Boolean(), nullable=False),
        sa.Column("followed_at", sa.DateTime(timezone=True)),
        sa.Column("unfollowed_at", sa.DateTime(timezone=True)),
        sa.Column("last_message_at", sa.DateTime(timezone=True)),
        sa.Column("latitude", sa.Float()),
        sa.Column("longitude", sa.Float()),
        sa.Column("place_label", sa.String(255)),
        sa.Column("located_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "handoffs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("openid", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_handoffs_openid", "handoffs", ["openid"])


def downgrade() -> None:
    op.drop_index("ix_handoffs_openid", table_name="handoffs")
    op.drop_table("handoffs")
    op.drop_table("followers")
