"""Notify's HTTP routes: subscriptions (per principal) and deliveries."""

import secrets
from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import ColumnElement, select, true, update

from notify.api.schemas import (
    DeliveryOut,
    Replayed,
    ReplayFailed,
    RotatedSecret,
    SecretOut,
    SubscriptionOut,
    SubscriptionPut,
)
from notify.app.delivery import hold_pending
from notify.app.targets import vet_target
from notify.bootstrap import Notify
from notify.domain.urls import UrlRefused
from notify.store.tables import DeliveryRow, SubscriptionRow
from shared.auth import CurrentPrincipal, Principal
from shared.pagination import Cursor, Limit, Page, keyset_page
from shared.params import ClueIdQuery, DeliveryIdPath
from shared.problems import ProblemError, not_found, validation_problem
from shared.settings import Mode

subscriptions = APIRouter(prefix="/v1/subscriptions", tags=["subscriptions"])
deliveries = APIRouter(prefix="/v1/deliveries", tags=["deliveries"])


NOT_SENT_REMOVED = "not sent: the subscription was removed; subscribe again and redeliver"


def _notify(request: Request) -> Notify:
    notify: Notify = request.app.state.notify
    return notify


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32).replace("-", "+").replace("_", "/") + "="


@subscriptions.put("/me", response_model=SecretOut, summary="Create or replace the caller's subscription")
async def put_subscription(body: SubscriptionPut, request: Request, principal: CurrentPrincipal) -> SecretOut:
    notify = _notify(request)
    try:
        await vet_target(
            body.url,
            allowed=notify.settings.allowlist(),
            require_https=notify.runtime.common.mode == Mode.PRODUCTION,
        )
    except UrlRefused as error:
        raise validation_problem([{"field": "url", "message": str(error)}]) from error
    now = datetime.now(UTC)
    owner = str(principal)
    async with notify.runtime.sessions.begin() as session:
        row = await session.get(SubscriptionRow, owner, with_for_update=True)
        if row is None:
            secret = new_secret()
            row = SubscriptionRow(
                principal=owner,
                url=body.url,
                events=list(body.events),
                secret=notify.secrets.seal(secret, principal=owner),
            )
            session.add(row)
        else:
            # The contract answers PUT with the secret; replacing a subscription keeps it.
            secret = notify.secrets.open(row.secret, principal=owner)
            row.url = body.url
            row.events = list(body.events)
            row.disabled_at = None
            row.disabled_reason = None
            row.updated_at = now
    notify.worker.wake()
    return SecretOut(secret=secret)


@subscriptions.get(
    "/me",
    response_model=SubscriptionOut,
    summary="The caller's subscription, without its secret (given only by PUT and rotate-secret)",
)
async def get_subscription(request: Request, principal: CurrentPrincipal) -> SubscriptionOut:
    async with _notify(request).runtime.sessions() as session:
        row = await session.get(SubscriptionRow, str(principal))
    if row is None:
        raise not_found("subscription")
    return SubscriptionOut.model_validate(row, from_attributes=True)


@subscriptions.delete("/me", status_code=204, summary="Remove the caller's subscription")
async def delete_subscription(request: Request, principal: CurrentPrincipal) -> Response:
    async with _notify(request).runtime.sessions.begin() as session:
        row = await session.get(SubscriptionRow, str(principal))
        if row is None:
            raise not_found("subscription")
        await session.delete(row)
        await hold_pending(session, principal=str(principal), reason=NOT_SENT_REMOVED, now=datetime.now(UTC))
    return Response(status_code=204)


@subscriptions.post(
    "/me/rotate-secret",
    response_model=RotatedSecret,
    summary="New secret; the old one keeps signing during the overlap period",
)
async def rotate_secret(request: Request, principal: CurrentPrincipal) -> RotatedSecret:
    notify = _notify(request)
    until = datetime.now(UTC) + timedelta(hours=notify.settings.secret_overlap_hours)
    async with notify.runtime.sessions.begin() as session:
        row = await session.get(SubscriptionRow, str(principal), with_for_update=True)
        if row is None:
            raise not_found("subscription")
        secret = new_secret()
        row.previous_secret, row.previous_secret_until = row.secret, until
        row.secret = notify.secrets.seal(secret, principal=str(principal))
        row.updated_at = datetime.now(UTC)
    return RotatedSecret(secret=secret, previous_secret_valid_until=until)


def _visible(principal: Principal) -> ColumnElement[bool]:
    return true() if principal.is_admin else DeliveryRow.principal == str(principal)


@deliveries.get("", response_model=Page[DeliveryOut], summary="The caller's deliveries, newest first")
async def list_deliveries(
    request: Request,
    principal: CurrentPrincipal,
    state: Annotated[str | None, Query(pattern="^(pending|delivering|succeeded|failed)$")] = None,
    clue_id: ClueIdQuery = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[DeliveryOut]:
    query = select(DeliveryRow).where(_visible(principal))
    if state:
        query = query.where(DeliveryRow.state == state)
    if clue_id:
        query = query.where(DeliveryRow.clue_id == clue_id)
    async with _notify(request).runtime.sessions() as session:
        page, next_cursor = await keyset_page(
            session, query, at=DeliveryRow.created_at, key=DeliveryRow.delivery_id, cursor=cursor, limit=limit
        )
    return Page[DeliveryOut](
        items=[DeliveryOut.model_validate(r, from_attributes=True) for r in page], next_cursor=next_cursor
    )


async def _visible_delivery(request: Request, principal: Principal, delivery_id: str) -> DeliveryRow:
    async with _notify(request).runtime.sessions() as session:
        row = await session.get(DeliveryRow, delivery_id)
    if row is None or not (principal.is_admin or row.principal == str(principal)):
        raise not_found("delivery")
    return row


async def _enabled_subscription(request: Request, principal: str, state: str | None) -> None:
    async with _notify(request).runtime.sessions() as session:
        subscription = await session.get(SubscriptionRow, principal)
    if subscription is None or subscription.disabled_at is not None:
        raise ProblemError(
            409,
            "Conflict",
            "the subscription is missing or disabled; PUT /v1/subscriptions/me first, then redeliver",
            state=state,
        )


@deliveries.post(
    "/redeliver-failed",
    status_code=202,
    response_model=Replayed,
    summary="Send again the caller's failed deliveries created in a time range",
)
async def redeliver_failed(body: ReplayFailed, request: Request, principal: CurrentPrincipal) -> Replayed:
    if body.until is not None and body.until <= body.since:
        raise validation_problem([{"field": "until", "message": "until must be later than since"}])
    await _enabled_subscription(request, str(principal), None)
    notify = _notify(request)
    now = datetime.now(UTC)
    query = update(DeliveryRow).where(
        DeliveryRow.principal == str(principal),
        DeliveryRow.state == "failed",
        DeliveryRow.created_at >= body.since,
    )
    if body.until is not None:
        query = query.where(DeliveryRow.created_at < body.until)
    async with notify.runtime.sessions.begin() as session:
        result = await session.execute(
            query.values(state="pending", attempts=0, next_attempt_at=now, updated_at=now).returning(
                DeliveryRow.delivery_id
            )
        )
        count = len(result.all())
    notify.worker.wake()
    return Replayed(redelivered=count)


@deliveries.get("/{delivery_id}", response_model=DeliveryOut, summary="One delivery")
async def get_delivery(
    delivery_id: DeliveryIdPath, request: Request, principal: CurrentPrincipal
) -> DeliveryOut:
    return DeliveryOut.model_validate(
        await _visible_delivery(request, principal, delivery_id), from_attributes=True
    )


@deliveries.post(
    "/{delivery_id}/redeliver", status_code=202, response_model=DeliveryOut, summary="Send a delivery again"
)
async def redeliver(
    delivery_id: DeliveryIdPath, request: Request, principal: CurrentPrincipal
) -> DeliveryOut:
    delivery = await _visible_delivery(request, principal, delivery_id)
    notify = _notify(request)
    now = datetime.now(UTC)
    await _enabled_subscription(request, delivery.principal, delivery.state)
    async with notify.runtime.sessions.begin() as session:
        result = await session.execute(
            update(DeliveryRow)
            .where(DeliveryRow.delivery_id == delivery_id, DeliveryRow.state.in_(["failed", "succeeded"]))
            .values(state="pending", attempts=0, next_attempt_at=now, updated_at=now)
            .returning(DeliveryRow.delivery_id)
        )
        if result.first() is None:
            row = await session.get(DeliveryRow, delivery_id)
            raise ProblemError(
                409,
                "Conflict",
                f"the delivery is {row.state if row else 'gone'}; only failed or succeeded ones are sent again",
                state=row.state if row else None,
            )
        row = await session.get(DeliveryRow, delivery_id)
        assert row is not None
        out = DeliveryOut.model_validate(row, from_attributes=True)
    notify.worker.wake()
    return out
