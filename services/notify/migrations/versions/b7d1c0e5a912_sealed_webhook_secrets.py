"""webhook secrets sealed at rest: room for the ciphertext

Revision ID: b7d1c0e5a912
Revises: 4e7bc52c0a74
Create Date: 2026-12-03 16:50:00

The values themselves are sealed by notify at start-up (notify.secret_box), since the key is
the service's setting and not the migration job's.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b7d1c0e5a912"
down_revision: str | None = "4e7bc52c0a74"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for column in ("secret", "previous_secret"):
        op.alter_column(
            "subscriptions", column, type_=sa.Text(), existing_type=sa.String(length=100), schema="notify"
        )


def downgrade() -> None:
    for column in ("secret", "previous_secret"):
        op.alter_column(
            "subscriptions", column, type_=sa.String(length=100), existing_type=sa.Text(), schema="notify"
        )
