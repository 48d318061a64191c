"""The reporting read model: ``report_*`` tables in the routing schema, on a MetaData of their own.

One row per clue carries the facts the reports count, so a report is one scan of an indexed range.
Tasks, deadlines and disputes keep their own rows because they are counted by their own dates.
"""

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    Numeric,
    PrimaryKeyConstraint,
    String,
    Table,
    func,
    text,
)

from shared.messaging import inbox_table

SCHEMA = "routing"
metadata = MetaData(schema=SCHEMA)

# The shared inbox's columns under a name of its own: the projector is a consumer group of its own.
report_inbox = inbox_table(MetaData()).to_metadata(metadata, name="report_inbox")

report_clues = Table(
    "report_clues",
    metadata,
    Column("clue_id", String(36), primary_key=True),
    # From clue.received; null until it arrives (events of other topics may come first).
    Column("source", String(20)),
    Column("received_division", String(6)),
    Column("township", String(100)),
    Column("project_kind", String(20)),
    Column("industry_agency", String(40), doc="the project's industry authority in the clue's division"),
    Column("received_at", DateTime(timezone=True)),
    Column("emergency", Boolean, nullable=False, server_default=text("false")),
    Column("workers", Integer),
    Column("amount_owed", Numeric(14, 2)),
    Column("lead_clue_id", String(36), doc="linked as the same matter (rule 8): adds no workers or amount"),
    # From clue.status and dispute.decided.
    Column("status_division", String(6), doc="the division the clue moved to, if any"),
    Column("division", String(6), doc="current division: status_division, else received_division"),
    Column("status", String(20)),
    Column("outcome", String(40)),
    Column("amount_paid", Numeric(14, 2)),
    Column("closed_at", DateTime(timezone=True)),
    # Derived from report_tasks and report_deadlines by the projector.
    Column("transfer_at", DateTime(timezone=True), doc="first industry_resolve task: the transfer"),
    Column("transfer_on_time", Boolean, doc="transfer_7d met in time; null where that rule does not apply"),
    Column("case_filed_at", DateTime(timezone=True), doc="first investigate task (立案查处)"),
    Column("criminal_referral_at", DateTime(timezone=True), doc="first criminal task (rule 4)"),
    Column("credit_referral_at", DateTime(timezone=True), doc="investigate done with credit_referral"),
    Index("ix_report_clues_received", "received_at", "division"),
    Index("ix_report_clues_closed", "closed_at"),
    Index("ix_report_clues_division_received", "division", "received_at"),
    Index("ix_report_clues_industry_received", "industry_agency", "received_at"),
)

report_clue_agencies = Table(
    "report_clue_agencies",
    metadata,
    Column("clue_id", String(36), nullable=False),
    Column("agency_id", String(40), nullable=False),
    PrimaryKeyConstraint("clue_id", "agency_id"),
    Index("ix_report_clue_agencies_agency", "agency_id", "clue_id"),
)

report_tasks = Table(
    "report_tasks",
    metadata,
    Column("task_id", String(36), primary_key=True),
    Column("clue_id", String(36), nullable=False, index=True),
    Column("kind", String(30), nullable=False),
    Column("agency_id", String(40), nullable=False),
    Column("state", String(20), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("done_at", DateTime(timezone=True)),
    Column("resolved", Boolean, doc="industry_resolve: the wages were resolved"),
    Column("outcome", String(40), doc="investigate and the like: the outcome reported"),
    Index("ix_report_tasks_kind_done", "kind", "done_at"),
)

report_deadlines = Table(
    "report_deadlines",
    metadata,
    Column("deadline_id", String(64), primary_key=True),
    Column("clue_id", String(36), nullable=False, index=True),
    Column("task_id", String(36)),
    Column("rule", String(40), nullable=False),
    Column("agency_id", String(40)),
    Column("due_at", DateTime(timezone=True), nullable=False),
    Column("state", String(20), nullable=False),
    Column("late", Boolean, nullable=False, server_default=text("false")),
    Column("settled_at", DateTime(timezone=True), doc="when it was met (on time or late)"),
    Index("ix_report_deadlines_due", "due_at"),
    Index("ix_report_deadlines_rule_settled", "rule", "settled_at"),
)

report_disputes = Table(
    "report_disputes",
    metadata,
    Column("dispute_id", String(36), primary_key=True),
    Column("clue_id", String(36), nullable=False, index=True),
    Column("from_agency", String(40), nullable=False),
    Column("opened_at", DateTime(timezone=True), nullable=False, index=True),
    Column("decided_at", DateTime(timezone=True)),
)

report_incidence_base = Table(
    "report_incidence_base",
    metadata,
    Column("scope", String(20), nullable=False, doc="division, township or industry"),
    Column("division", String(6), nullable=False),
    Column("name", String(100), nullable=False, doc="township name or industry kind; '' for a division"),
    Column("base", Integer, nullable=False),
    Column("basis", String(40), nullable=False, doc="what is counted, e.g. active_projects"),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("scope", "division", "name"),
)
