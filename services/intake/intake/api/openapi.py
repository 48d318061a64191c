"""Intake's OpenAPI document: the submission body and the problem shapes live in its components."""

from typing import Any

from fastapi import FastAPI

from intake.api.routes import COMPONENT_SCHEMAS


def install_openapi(app: FastAPI) -> None:
    """Add the schemas that routes reference by ``$ref`` but FastAPI does not collect itself."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        document = generate()
        document.setdefault("components", {}).setdefault("schemas", {}).update(COMPONENT_SCHEMAS)
        return document

    app.openapi = openapi  # type: ignore[method-assign]
