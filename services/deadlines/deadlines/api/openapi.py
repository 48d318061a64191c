"""Deadlines' additions to its OpenAPI document: the configured rules as the enum of ``rule``."""

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI


def document_rules(app: FastAPI, rule_names: Sequence[str]) -> None:
    """Rules are configured (settings), so their enum is known only when the app is built."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        document = generate()
        rule = document["components"]["schemas"]["DeadlineOut"]["properties"]["rule"]
        rule["enum"] = list(rule_names)
        return document

    app.openapi = openapi  # type: ignore[method-assign]
