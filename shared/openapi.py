"""The OpenAPI document every service publishes: problem details for every error it can answer, the
bearer scheme, and Swagger UI served from the service itself (a government intranet has no CDN)."""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

from shared.problems import MEDIA_TYPE

DOCS_ASSETS = "/docs/assets"

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "RFC 9457 problem details",
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "format": "uri", "examples": ["https://anxin.example/problems/not-found"]},
        "title": {"type": "string", "examples": ["Not Found"]},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string", "description": "what is wrong and how to fix it"},
        "errors": {
            "type": "array",
            "description": "validation errors: one per invalid field",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {
                    "field": {"type": "string", "examples": ["employer.uscc"]},
                    "message": {"type": "string"},
                },
            },
        },
        "current_state": {"type": "string", "description": "409 on a task: the state it is in"},
    },
    "additionalProperties": True,
}

RETRY_AFTER = {"description": "seconds to wait", "schema": {"type": "integer", "minimum": 1}}

_WHEN = {
    400: "The body is not valid JSON",
    401: "No key, or an unknown key",
    403: "A known key without the right to do this",
    404: "Nothing with that id is visible to the caller",
    409: "The state of the resource does not allow this",
    413: "The body is over the configured size",
    422: "Invalid input: `errors` names each field",
    429: "Too many writes with this key, or too many failed authentications from this address; "
    "retry after `Retry-After` seconds",
    500: "An error on the service's side; it was logged",
}


def install_openapi_conventions(app: FastAPI) -> None:
    """Post-process the generated document, and serve /docs from local assets."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        document = generate()
        document_problems(document)
        app.openapi_schema = document
        return document

    app.openapi = openapi  # type: ignore[method-assign]
    app.mount(DOCS_ASSETS, StaticFiles(directory=swagger_ui_path), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title=f"{app.title}: API",
            swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{DOCS_ASSETS}/favicon-32x32.png",
            swagger_ui_parameters={"persistAuthorization": True},
        )


def document_problems(document: dict[str, Any]) -> None:
    """Every operation lists, as problem+json, each error status it can answer: 422 where it takes input,
    401 and 403 where it needs a key, 404 where a path names a resource, 413 where it takes a body, and
    500; FastAPI's own 422 schema (``HTTPValidationError``) is replaced, since no service answers it."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Problem", PROBLEM_SCHEMA)
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    for path, operations in document.get("paths", {}).items():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            statuses = [500]
            if operation.get("parameters") or "requestBody" in operation:
                statuses.append(422)
            if "requestBody" in operation:
                statuses += [400, 413]
            if operation.get("security"):
                statuses += [401, 403, 429]
            if "{" in path:
                statuses.append(404)
            responses = operation["responses"]
            for status in sorted(statuses):
                documented = responses.get(str(status))
                if documented is None or _is_fastapi_validation_error(documented):
                    responses[str(status)] = _problem_response(_WHEN[status])
                    if status == 429:
                        responses["429"]["headers"] = {"Retry-After": RETRY_AFTER}


def _problem_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def _is_fastapi_validation_error(response: dict[str, Any]) -> bool:
    content = response.get("content", {})
    return any(
        media.get("schema", {}).get("$ref", "").endswith("/HTTPValidationError") for media in content.values()
    )
