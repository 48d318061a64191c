"""Notify's HTTP routes: subscriptions (per principal) and deliveries. Parse, call one use case, answer."""

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

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
from shared.problems import MEDIA_TYPE

subscriptions = APIRouter(prefix="/v1/subscriptions", tags=["subscriptions"])
deliveries = APIRouter(prefix="/v1/deliveries", tags=["deliveries"])


def problem(description: str) -> dict[str, Any]:
    """A problem+json answer of one operation, beyond those every operation documents."""
    return {
        "description": description,
        "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


NO_SUBSCRIPTION: dict[int | str, dict[str, Any]] = {404: problem("the caller has no subscription")}
NOT_SUBSCRIBED = problem(
    "the caller's subscription is missing or disabled (PUT it first), or the delivery is being sent "
    "right now; `state` is the delivery's"
)


@subscriptions.put(
    "/me",
    response_model=SecretOut,
    summary="Create or replace the caller's subscription",
    description=(
        "Webhooks of the named event types go to `url`, signed per Standard Webhooks with the secret in "
        "the answer (replacing a subscription keeps its secret). Only events that reach the caller may "
        "be named (a source hears `clue.status`; `clue.received` reaches the office, `clue.emergency` "
        "the office, hrss, gov and industry authorities); others are refused with 422 naming them.\n\n"
        'The body of each webhook is `{"type", "timestamp", "sequence", "data"}`: `timestamp` is '
        "when the event happened, in +08:00; `data` is the event's data as its producer wrote it, "
        "without personal data. `sequence` increases with every delivery notify makes: a retried "
        "webhook keeps its number, so it can arrive after later ones. Keep, per clue, the highest "
        "`sequence` you applied, and do not let a webhook with a lower one overwrite newer state "
        "(it is older news). The `webhook-id` header (the delivery id) is the same on every retry: "
        "use it to drop the duplicates."
    ),
)
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
    description="The endpoint, the event types, and whether deliveries were stopped (410 Gone).",
    responses=NO_SUBSCRIPTION,
)
async def get_subscription(principal: CurrentPrincipal, uow: ReadingDep) -> SubscriptionOut:
    return SubscriptionOut.model_validate(
        await subscription_cases.read_subscription(principal, uow=uow), from_attributes=True
    )


@subscriptions.delete(
    "/me",
    status_code=204,
    summary="Remove the caller's subscription",
    description="Nothing more is sent; pending deliveries fail with a reason and can be redelivered.",
    responses=NO_SUBSCRIPTION,
)
async def delete_subscription(principal: CurrentPrincipal, uow: UnitOfWorkDep) -> Response:
    await subscription_cases.unsubscribe(principal, uow=uow, now=datetime.now(UTC))
    return Response(status_code=204)


@subscriptions.post(
    "/me/rotate-secret",
    response_model=RotatedSecret,
    summary="New secret; the old one keeps signing during the overlap period",
    description="Until `previous_secret_valid_until`, each webhook carries a signature by either secret.",
    responses=NO_SUBSCRIPTION,
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


@deliveries.get(
    "",
    response_model=Page[DeliveryOut],
    summary="The caller's deliveries, newest first",
    description="Filtered by state and clue; `next_cursor` fetches the next page. Each lists its tries.",
    responses={400: problem("the cursor is not one this service issued; start again without it")},
)
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
    description="Each keeps its tries and follows the retry schedule afresh; the answer counts them.",
    responses={409: problem("the caller's subscription is missing or disabled; PUT it first")},
)
async def redeliver_failed(body: ReplayFailed, principal: CurrentPrincipal, uow: UnitOfWorkDep) -> Replayed:
    count = await delivery_cases.redeliver_failed(
        RedeliverFailed(principal, body.since, body.until), uow=uow, now=datetime.now(UTC)
    )
    return Replayed(redelivered=count)


@deliveries.get(
    "/{delivery_id}",
    response_model=DeliveryOut,
    summary="One delivery",
    description="Its state, its body, and every try made (`attempt_history`), redeliveries included.",
)
async def get_delivery(
    delivery_id: DeliveryIdPath, principal: CurrentPrincipal, uow: ReadingDep
) -> DeliveryOut:
    return DeliveryOut.model_validate(
        await delivery_cases.read_delivery(delivery_id, reader=principal, uow=uow), from_attributes=True
    )


@deliveries.post(
    "/{delivery_id}/redeliver",
    status_code=202,
    response_model=DeliveryOut,
    summary="Send a delivery now",
    description=(
        "A pending delivery is tried at once instead of at its next retry; a failed or succeeded one is "
        "sent again, with the same `webhook-id` and body, keeping every earlier try. 409 while it is "
        "being sent (`delivering`) or without an enabled subscription."
    ),
    responses={409: NOT_SUBSCRIBED},
)
async def redeliver(
    delivery_id: DeliveryIdPath, principal: CurrentPrincipal, uow: UnitOfWorkDep
) -> DeliveryOut:
    delivery = await delivery_cases.redeliver(delivery_id, reader=principal, uow=uow, now=datetime.now(UTC))
    return DeliveryOut.model_validate(delivery, from_attributes=True)
