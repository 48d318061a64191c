"""the timeline refuses UPDATE, DELETE and TRUNCATE (append-only in the database itself)

Revision ID: c41e7a9d2b65
Revises: 98f98e2d1e45
Create Date: 2026-12-04 18:30:00

The trigger makes a rewrite an error for anyone who does not own the table; deploy/sql/
seal_audit_trail.sql then hands the table to a role the services cannot act as, so that the
service's own role can neither drop the trigger nor the table (issue 13).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "c41e7a9d2b65"
down_revision: str | None = "98f98e2d1e45"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        """
        create function routing.refuse_timeline_rewrite() returns trigger language plpgsql as $$
        begin
            raise exception 'routing.timeline is append-only: % refused', tg_op
                using errcode = 'insufficient_privilege';
        end
        $$
        """
    )
    op.execute(
        "create trigger timeline_append_only before update or delete on routing.timeline "
        "for each row execute function routing.refuse_timeline_rewrite()"
    )
    op.execute(
        "create trigger timeline_no_truncate before truncate on routing.timeline "
        "for each statement execute function routing.refuse_timeline_rewrite()"
    )


def downgrade() -> None:
    op.execute("drop trigger timeline_no_truncate on routing.timeline")
    op.execute("drop trigger timeline_append_only on routing.timeline")
    op.execute("drop function routing.refuse_timeline_rewrite()")
