"""personal values, registrations and the service ledger

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "personal_values",
        sa.Column("token", sa.String(16), primary_key=True),
        sa.Column("openid", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("sealed", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_personal_values_openid", "personal_values", ["openid"])
    op.create_table(
        "registrations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("reference", sa.String(20), unique=True),
        sa.Column("person_key", sa.String(64), nullable=False, unique=True),
        sa.Column("openid", sa.String(64), nullable=False),
        sa.Column("name_sealed", sa.Text(), nullable=False),
        sa.Column("id_number_sealed", sa.Text(), nullable=False),
        sa.Column("phone_sealed", sa.Text(), nullable=False),
        sa.Column("city", sa.String(20), nullable=False),
        sa.Column("district", sa.String(20), nullable=False),
        sa.Column("place_kind", sa.String(8), nullable=False),
        sa.Column("group_name", sa.String(10), nullable=False),
        sa.Column("last_job", sa.String(50), nullable=False),
        sa.Column("leave_reason", sa.String(20), nullable=False),
        sa.Column("wanted_job", sa.String(50), nullable=False),
        sa.Column("wanted_city", sa.String(20), nullable=False),
        sa.Column("wants_training", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("decision_reason", sa.String(200)),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True)),
        sa.Column("reviewed_by", sa.Integer(), sa.ForeignKey("staff_members.id")),
        sa.Column("decision_notified_at", sa.DateTime(timezone=True)),
    )
    for column in ("openid", "city", "group_name", "status"):
        op.create_index(f"ix_registrations_{column}", "registrations", [column])
    op.create_table(
        "service_records",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "registration_id", sa.Integer(), sa.ForeignKey("registrations.id"), nullable=False
        ),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("detail", sa.String(500), nullable=False),
        sa.Column("posting_ids", sa.String(200), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("provided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("staff_id", sa.Integer(), sa.ForeignKey("staff_members.id")),
    )
    op.create_index("ix_service_records_registration_id", "service_records", ["registration_id"])


def downgrade() -> None:
    op.drop_table("service_records")
    op.drop_table("registrations")
    op.drop_table("personal_values")
