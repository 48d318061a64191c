"""Notify's tables, all in the ``notify`` schema."""

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    DateTime,
    Identity,
    Index,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.messaging import inbox_table

SCHEMA = "notify"


class Base(DeclarativeBase):
    metadata = MetaData(schema=SCHEMA)


class SubscriptionRow(Base):
    __tablename__ = "subscriptions"

    principal: Mapped[str] = mapped_column(String(100), primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    events: Mapped[list[str]] = mapped_column(JSONB)
    secret: Mapped[str] = mapped_column(Text)  # sealed: notify.secret_box
    previous_secret: Mapped[str | None] = mapped_column(Text)
    previous_secret_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    disabled_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class DeliveryRow(Base):
    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("event_id", "principal", name="uq_deliveries_event_principal"),
        Index("ix_deliveries_due", "next_attempt_at", postgresql_where=text("state = 'pending'")),
        Index("ix_deliveries_leased", "lease_until", postgresql_where=text("state = 'delivering'")),
        Index("ix_deliveries_principal_state", "principal", "state"),
        Index("ix_deliveries_clue", "principal", "clue_id", "seq"),
    )

    delivery_id: Mapped[str] = mapped_column(String(40), primary_key=True, doc="also the webhook-id")
    seq: Mapped[int] = mapped_column(BigInteger, Identity(), unique=True)
    event_id: Mapped[str] = mapped_column(String(64))
    event_type: Mapped[str] = mapped_column(String(50))
    clue_id: Mapped[str] = mapped_column(String(36))
    principal: Mapped[str] = mapped_column(String(100))
    ordered: Mapped[bool] = mapped_column(doc="delivered strictly after earlier ones of its clue")
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    state: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(default=0, doc="every try it ever had")
    retry_from: Mapped[int] = mapped_column(default=0, doc="attempts at the last redelivery")
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_status: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    event_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    traceparent: Mapped[str | None] = mapped_column(String(60), doc="the event's trace, sent on as a header")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AttemptRow(Base):
    __tablename__ = "attempts"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    delivery_id: Mapped[str] = mapped_column(String(40), index=True)
    url: Mapped[str] = mapped_column(Text)
    status: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    duration_ms: Mapped[int]


class ClueSourceRow(Base):
    """Notify's own memory of each clue's source, fed by ``clue.received``."""

    __tablename__ = "clue_sources"

    clue_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    source: Mapped[str] = mapped_column(String(20))
    submitted_by: Mapped[str] = mapped_column(String(100))
    division: Mapped[str] = mapped_column(String(6))
    project_kind: Mapped[str | None] = mapped_column(String(20))
    flags: Mapped[list[str]] = mapped_column(JSONB)


class TaskHolderRow(Base):
    """Who holds which task, fed by ``task.*`` events, to address deadline notices."""

    __tablename__ = "task_holders"

    task_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    clue_id: Mapped[str] = mapped_column(String(36), index=True)
    agency_id: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(20))


inbox = inbox_table(Base.metadata)
