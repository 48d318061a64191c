"""Claiming due deliveries (a lease in the database) and signing them per Standard Webhooks."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from standardwebhooks.webhooks import Webhook

CLAIM = text(
    """
    UPDATE notify.deliveries AS d
       SET state = 'delivering', lease_until = now() + make_interval(secs => :lease), updated_at = now()
      FROM notify.subscriptions AS s
     WHERE s.principal = d.principal
       AND d.delivery_id IN (
           SELECT c.delivery_id
             FROM notify.deliveries AS c
             JOIN notify.subscriptions AS cs ON cs.principal = c.principal AND cs.disabled_at IS NULL
            WHERE c.state = 'pending' AND c.next_attempt_at <= now()
              AND NOT (cs.url = ANY(:busy))
              AND (NOT c.ordered OR NOT EXISTS (
                   SELECT 1 FROM notify.deliveries AS e
                    WHERE e.principal = c.principal AND e.clue_id = c.clue_id AND e.ordered
                      AND e.seq < c.seq AND e.state IN ('pending', 'delivering')))
            ORDER BY c.next_attempt_at, c.seq
            LIMIT :limit
              FOR UPDATE OF c SKIP LOCKED)
    RETURNING d.delivery_id, d.payload, d.attempts, d.lease_until, s.url, s.secret, s.previous_secret,
              s.previous_secret_until, s.principal, d.traceparent
    """
)
RELEASE_EXPIRED = text(
    "UPDATE notify.deliveries SET state = 'pending', lease_until = NULL "
    "WHERE state = 'delivering' AND lease_until < now()"
)
# Rows due by the last claim that it did not take wait for a wake-up (an endpoint or an
# earlier feedback freeing up), so only later ones set the timer and an idle worker never spins.
NEXT_DUE = text(
    "SELECT min(next_attempt_at) FROM notify.deliveries WHERE state = 'pending' AND next_attempt_at > :since"
)
NOW = text("SELECT now()")


@dataclass(frozen=True)
class Claimed:
    delivery_id: str
    payload: dict[str, object]
    attempts: int
    lease_until: datetime
    url: str
    secret: str
    previous_secret: str | None
    previous_secret_until: datetime | None
    principal: str
    traceparent: str | None


def signature_header(claimed: Claimed, *, body: str, at: datetime) -> str:
    """Space-separated ``v1,<sig>`` values: during a rotation both secrets sign."""
    secrets = [claimed.secret]
    if claimed.previous_secret and claimed.previous_secret_until and claimed.previous_secret_until > at:
        secrets.append(claimed.previous_secret)
    return " ".join(Webhook(secret).sign(claimed.delivery_id, at, body) for secret in secrets)
