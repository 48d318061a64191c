"""RFC 9457 problem details: one error type, mapped to responses in one place."""

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from shared.errors import DomainError, InvalidError, NotFoundError

log = logging.getLogger(__name__)

PROBLEM_TYPE_BASE = "https://anxin.example/problems/"
MEDIA_TYPE = "application/problem+json"
#: Plain words for a value that does not match a pattern, by pattern (``shared.params`` fills it in).
PATTERN_MESSAGES: dict[str, str] = {}


class ProblemError(Exception):
    def __init__(
        self,
        status: int,
        title: str,
        detail: str,
        *,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail
        self.errors = errors
        self.headers = headers
        self.extra = extra

    def body(self) -> dict[str, Any]:
        slug = self.title.lower().replace(" ", "-")
        body: dict[str, Any] = {
            "type": PROBLEM_TYPE_BASE + slug,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        }
        if self.errors is not None:
            body["errors"] = self.errors
        body.update(self.extra)
        return body


def domain_problem(error: DomainError) -> ProblemError:
    """The problem a domain error answers with: its status, title, detail, field errors and extras."""
    problem = ProblemError(error.status, error.title, error.detail, errors=error.errors)
    problem.extra = dict(error.extra)
    return problem


def not_found(what: str) -> ProblemError:
    return domain_problem(NotFoundError(what))


def problem_response(problem: ProblemError) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if problem.status == 401 else {}
    headers.update(problem.headers or {})
    return JSONResponse(problem.body(), status_code=problem.status, media_type=MEDIA_TYPE, headers=headers)


def field_path(location: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in location]
    if parts and parts[0] == "body":
        parts = parts[1:]
    return ".".join(parts) or "body"


def validation_problem(errors: list[dict[str, str]], detail: str | None = None) -> ProblemError:
    return domain_problem(InvalidError(errors, detail))


def field_errors(errors: Sequence[Any]) -> list[dict[str, str]]:
    """pydantic's errors (``ValidationError.errors()`` or FastAPI's) as the contract's ``errors`` list."""
    return [{"field": field_path(e.get("loc", ())), "message": _error_message(e)} for e in errors]


def _error_message(error: dict[str, Any]) -> str:
    if error.get("type") == "string_pattern_mismatch":
        pattern = str((error.get("ctx") or {}).get("pattern", ""))
        if pattern in PATTERN_MESSAGES:
            return PATTERN_MESSAGES[pattern]
    message = str(error.get("msg", "invalid value"))
    return message.removeprefix("Value error, ")


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(ProblemError)
    async def _problem(_: Request, exc: ProblemError) -> JSONResponse:
        return problem_response(exc)

    @app.exception_handler(DomainError)
    async def _domain(_: Request, exc: DomainError) -> JSONResponse:
        return problem_response(domain_problem(exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        raw = list(exc.errors())
        if any(e.get("type") == "json_invalid" for e in raw):
            return problem_response(
                ProblemError(400, "Malformed JSON", "The body is not valid JSON; send a JSON object.")
            )
        return problem_response(validation_problem(field_errors(raw)))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        titles = {404: "Not Found", 405: "Method Not Allowed", 413: "Content Too Large"}
        response = problem_response(
            ProblemError(exc.status_code, titles.get(exc.status_code, "Error"), str(exc.detail))
        )
        response.headers.update(exc.headers or {})
        if exc.status_code == 405:
            # Every method of the path, not only those of the first route that matched (RFC 9110).
            response.headers["Allow"] = ", ".join(allowed_methods(request))
        return response

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.error("unhandled error: %r", exc, exc_info=exc)
        return problem_response(
            ProblemError(500, "Internal Server Error", "Something went wrong on our side; it was logged.")
        )


def allowed_methods(request: Request) -> list[str]:
    """The methods the app answers on the request's path: as documented where the path is one of the
    document's own (a fixed path wins over a template that also matches it, as in OpenAPI), else
    each method some route matches (FastAPI nests included routers, so each method is tried)."""
    documented = request.app.openapi().get("paths", {}).get(request.url.path)
    if documented:
        return [method.upper() for method in documented if method.upper() in HTTP_METHODS]
    routes = request.app.router.routes
    return [
        method
        for method in HTTP_METHODS
        if any(route.matches({**request.scope, "method": method})[0] == Match.FULL for route in routes)
    ]


HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
