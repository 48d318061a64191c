"""Notify's HTTP routes: subscriptions (per principal) and deliveries. Parse, call one use case, answer."""

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Response

from notify.api.deps import NotifyDep, ReadingDep, UnitOfWorkDep
from notify.api.schemas import (
    DeliveryOut,
    Replayed,
    ReplayFailed,
    RotatedSecret,
    SecretOut,
    SubscriptionOut,
    SubscriptionPut,
)
from notify.app import deliveries as delivery_cases
from notify.app import subscriptions as subscription_cases
from notify.app.commands import ListDeliveries, RedeliverFailed, Subscribe
from shared.auth import CurrentPrincipal
from shared.pagination import Cursor, Limit, Page
from shared.params import ClueIdQuery, DeliveryIdPath

subscriptions = APIRouter(prefix="/v1/subscriptions", tags=["subscriptions"])
deliveries = APIRouter(prefix="/v1/deliveries", tags=["deliveries"])


@subscriptions.put("/me", response_model=SecretOut, summary="Create or replace the caller's subscription")
async def put_subscription(
    body: SubscriptionPut, principal: CurrentPrincipal, notify: NotifyDep, uow: UnitOfWorkDep
) -> SecretOut:
    secret = await subscription_cases.subscribe(
        Subscribe(principal, body.url, tuple(body.events)),
        uow=uow,
        now=datetime.now(UTC),
        secret_box=notify.secret_box,
        check_target=notify.check_target,
    )
    return SecretOut(secret=secret)


@subscriptions.get(
    "/me",
    response_model=SubscriptionOut,
    summary="The caller's subscription, without its secret (given only by PUT and rotate-secret)",
)
async def get_subscription(principal: CurrentPrincipal, uow: ReadingDep) -> SubscriptionOut:
    return SubscriptionOut.model_validate(
        await subscription_cases.read_subscription(principal, uow=uow), from_attributes=True
    )


@subscriptions.delete("/me", status_code=204, summary="Remove the caller's subscription")
async def delete_subscription(principal: CurrentPrincipal, uow: UnitOfWorkDep) -> Response:
    await subscription_cases.unsubscribe(principal, uow=uow, now=datetime.now(UTC))
    return Response(status_code=204)


@subscriptions.post(
    "/me/rotate-secret",
    response_model=RotatedSecret,
    summary="New secret; the old one keeps signing during the overlap period",
)
async def rotate_secret(principal: CurrentPrincipal, notify: NotifyDep, uow: UnitOfWorkDep) -> RotatedSecret:
    rotated = await subscription_cases.rotate_secret(
        principal,
        uow=uow,
        now=datetime.now(UTC),
        overlap=timedelta(hours=notify.settings.secret_overlap_hours),
        secret_box=notify.secret_box,
    )
    return RotatedSecret(
        secret=rotated.secret, previous_secret_valid_until=rotated.previous_secret_valid_until
    )


@deliveries.get("", response_model=Page[DeliveryOut], summary="The caller's deliveries, newest first")
async def list_deliveries(
    principal: CurrentPrincipal,
    uow: ReadingDep,
    state: Annotated[str | None, Query(pattern="^(pending|delivering|succeeded|failed)$")] = None,
    clue_id: ClueIdQuery = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[DeliveryOut]:
    page, next_cursor = await delivery_cases.list_deliveries(
        ListDeliveries(principal, state, clue_id, limit, cursor), uow=uow
    )
    return Page[DeliveryOut](
        items=[DeliveryOut.model_validate(d, from_attributes=True) for d in page], next_cursor=next_cursor
    )


@deliveries.post(
    "/redeliver-failed",
    status_code=202,
    response_model=Replayed,
    summary="Send again the caller's failed deliveries created in a time range",
)
async def redeliver_failed(body: ReplayFailed, principal: CurrentPrincipal, uow: UnitOfWorkDep) -> Replayed:
    count = await delivery_cases.redeliver_failed(
        RedeliverFailed(principal, body.since, body.until), uow=uow, now=datetime.now(UTC)
    )
    return Replayed(redelivered=count)


@deliveries.get("/{delivery_id}", response_model=DeliveryOut, summary="One delivery")
async def get_delivery(
    delivery_id: DeliveryIdPath, principal: CurrentPrincipal, uow: ReadingDep
) -> DeliveryOut:
    return DeliveryOut.model_validate(
        await delivery_cases.read_delivery(delivery_id, reader=principal, uow=uow), from_attributes=True
    )


@deliveries.post(
    "/{delivery_id}/redeliver", status_code=202, response_model=DeliveryOut, summary="Send a delivery again"
)
async def redeliver(
    delivery_id: DeliveryIdPath, principal: CurrentPrincipal, uow: UnitOfWorkDep
) -> DeliveryOut:
    delivery = await delivery_cases.redeliver(delivery_id, reader=principal, uow=uow, now=datetime.now(UTC))
    return DeliveryOut.model_validate(delivery, from_attributes=True)
