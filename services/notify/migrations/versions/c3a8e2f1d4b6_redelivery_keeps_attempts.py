"""redelivery keeps every attempt: the retry schedule restarts from the attempt count at redelivery

Revision ID: c3a8e2f1d4b6
Revises: b7d1c0e5a912
Create Date: 2026-12-04 16:10:00

``attempts`` counts every try a delivery ever had (the ``attempts`` table holds each); a
redelivery records ``retry_from`` (the count then), so its retries follow the schedule afresh.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c3a8e2f1d4b6"
down_revision: str | None = "b7d1c0e5a912"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "deliveries",
        sa.Column("retry_from", sa.Integer(), nullable=False, server_default="0"),
        schema="notify",
    )


def downgrade() -> None:
    op.drop_column("deliveries", "retry_from", schema="notify")
