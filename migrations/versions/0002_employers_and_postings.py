"""employers and postings

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "employers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "postings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("employer_id", sa.Integer(), sa.ForeignKey("employers.id"), nullable=False),
        sa.Column("title", sa.String(50), nullable=False),
        sa.Column("city", sa.String(20), nullable=False),
        sa.Column("district", sa.String(20)),
        sa.Column("salary_min", sa.Integer(), nullable=False),
        sa.Column("salary_max", sa.Integer(), nullable=False),
        sa.Column("requirements", sa.Text(), nullable=False),
        sa.Column("education", sa.String(10), nullable=False),
        sa.Column("suits", sa.String(100), nullable=False),
        sa.Column("part_time", sa.Boolean(), nullable=False),
        sa.Column("contact_sealed", sa.Text(), nullable=False),
        sa.Column("source", sa.String(100), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_postings_employer_id", "postings", ["employer_id"])
    op.create_index("ix_postings_city", "postings", ["city"])
    op.create_index("ix_postings_valid_until", "postings", ["valid_until"])
    op.create_index("ix_postings_state", "postings", ["state"])


def downgrade() -> None:
    op.drop_index("ix_postings_state", table_name="postings")
    op.drop_index("ix_postings_valid_until", table_name="postings")
    op.drop_index("ix_postings_city", table_name="postings")
    op.drop_index("ix_postings_employer_id", table_name="postings")
    op.drop_table("postings")
    op.drop_table("employers")
