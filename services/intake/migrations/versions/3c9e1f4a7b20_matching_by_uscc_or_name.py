"""duplicate matching by USCC or employer name; link reasons

Revision ID: 3c9e1f4a7b20
Revises: 8b235d6f77d1
Create Date: 2026-12-03 16:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from intake.domain.rules import name_key

revision: str = "3c9e1f4a7b20"
down_revision: str | None = "8b235d6f77d1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5000


def upgrade() -> None:
    op.add_column("clues", sa.Column("employer_uscc", sa.String(length=18), nullable=True), schema="intake")
    op.add_column("clues", sa.Column("employer_name", sa.String(length=300), nullable=True), schema="intake")
    op.add_column("clues", sa.Column("link_reason", sa.Text(), nullable=True), schema="intake")
    # The USCC, and the name where it was the key, come from the old key; other names are normalised
    # here for the clues that can still be matched (closed ones never are).
    op.execute(
        "UPDATE intake.clues SET employer_uscc = substr(employer_key, 6) WHERE employer_key LIKE 'uscc:%'"
    )
    op.execute(
        "UPDATE intake.clues SET employer_name = substr(employer_key, 6) WHERE employer_key LIKE 'name:%'"
    )
    connection = op.get_bind()
    while True:
        rows = connection.execute(
            sa.text(
                "SELECT clue_id, submission->'employer'->>'name' AS name FROM intake.clues"
                " WHERE employer_name IS NULL AND status <> 'closed' LIMIT :n"
            ),
            {"n": BATCH},
        ).all()
        if not rows:
            break
        connection.execute(
            sa.text("UPDATE intake.clues SET employer_name = :name WHERE clue_id = :clue_id"),
            [{"clue_id": r.clue_id, "name": name_key(r.name or "")} for r in rows],
        )
    op.create_index(
        "ix_clues_employer_name", "clues", ["division", "employer_name", "status"], schema="intake"
    )
    op.create_index(
        "ix_clues_employer_uscc", "clues", ["division", "employer_uscc", "status"], schema="intake"
    )


def downgrade() -> None:
    op.drop_index("ix_clues_employer_uscc", table_name="clues", schema="intake")
    op.drop_index("ix_clues_employer_name", table_name="clues", schema="intake")
    op.drop_column("clues", "link_reason", schema="intake")
    op.drop_column("clues", "employer_name", schema="intake")
    op.drop_column("clues", "employer_uscc", schema="intake")
