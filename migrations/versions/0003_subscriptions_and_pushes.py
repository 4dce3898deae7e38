"""subscriptions and job pushes; postings' coordinates and push time

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("postings") as postings:
        postings.add_column(sa.Column("latitude", sa.Float()))
        postings.add_column(sa.Column("longitude", sa.Float()))
        postings.add_column(sa.Column("pushed_at", sa.DateTime(timezone=True)))
    op.create_table(
        "subscriptions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("openid", sa.String(64), nullable=False),
        sa.Column("city", sa.String(20)),
        sa.Column("occupation", sa.String(20)),
        sa.Column("salary_floor", sa.Integer()),
        sa.Column("part_time", sa.Boolean()),
        sa.Column("suits", sa.String(20)),
        sa.Column("criteria_key", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("openid", "criteria_key"),
    )
    op.create_index("ix_subscriptions_openid", "subscriptions", ["openid"])
    op.create_table(
        "job_pushes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("openid", sa.String(64), nullable=False),
        sa.Column("posting_id", sa.Integer(), sa.ForeignKey("postings.id"), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("channel", sa.String(16)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("openid", "posting_id"),
    )
    op.create_index("ix_job_pushes_posting_state", "job_pushes", ["posting_id", "state"])
    op.create_index("ix_job_pushes_openid_state", "job_pushes", ["openid", "state"])


def downgrade() -> None:
    op.drop_index("ix_job_pushes_openid_state", table_name="job_pushes")
    op.drop_index("ix_job_pushes_posting_state", table_name="job_pushes")
    op.drop_table("job_pushes")
    op.drop_index("ix_subscriptions_openid", table_name="subscriptions")
    op.drop_table("subscriptions")
    with op.batch_alter_table("postings") as postings:
        postings.drop_column("pushed_at")
        postings.drop_column("longitude")
        postings.drop_column("latitude")
