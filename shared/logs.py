"""JSON log lines with the clue id when known and personal data scrubbed."""

import json
import logging
import re
import sys
from contextvars import ContextVar
from datetime import UTC, datetime

from starlette.types import ASGIApp, Receive, Scope, Send

from shared.masking import scrub

current_clue_id: ContextVar[str | None] = ContextVar("current_clue_id", default=None)


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "service": self.service,
            "logger": record.name,
            "message": scrub(record.getMessage()),
        }
        clue_id = current_clue_id.get()
        if clue_id:
            line["clue_id"] = clue_id
        if record.exc_info:
            line["error"] = scrub(self.formatException(record.exc_info))
        return json.dumps(line, ensure_ascii=False)


def configure_logging(service: str, level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request with its full URL: a webhook's path and query can hold its
    # subscriber's tokens, so notify logs its own line with scheme and host only.
    for noisy in ("aiokafka", "kafka", "httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # uvicorn's access log would carry query strings; keep it, scrubbed by our formatter.
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True


_CLUE_IN_PATH = re.compile(r"/(?:clues|cases)/([0-9a-fA-F-]{36})")
_CLUE_IN_QUERY = re.compile(r"(?:^|&)clue_id=([0-9a-fA-F-]{36})")


class ClueIdLogContext:
    """Outermost ASGI middleware: a request about a clue (in its path or ``?clue_id=``) logs with it,
    the access log line included, which uvicorn writes from this same task."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            match = _CLUE_IN_PATH.search(scope.get("path", "")) or _CLUE_IN_QUERY.search(
                scope.get("query_string", b"").decode("latin-1")
            )
            current_clue_id.set(match.group(1) if match else None)
        await self.app(scope, receive, send)
