"""Intake's OpenAPI document: the submission body and the problem shapes live in its components."""

from typing import Any

from fastapi import FastAPI

from intake.api.responses import ConflictProblem, Problem, ValidationProblem
from intake.api.schemas import ClueSubmission
from shared.problems import MEDIA_TYPE

_SUBMISSION_SCHEMA = ClueSubmission.model_json_schema(ref_template="#/components/schemas/{model}")
#: Schemas the OpenAPI document must carry in its components, as routes reference them by ``$ref``.
COMPONENT_SCHEMAS: dict[str, Any] = {
    **_SUBMISSION_SCHEMA.pop("$defs", {}),
    "ClueSubmission": _SUBMISSION_SCHEMA,
    **{
        model.__name__: model.model_json_schema(ref_template="#/components/schemas/{model}")
        for model in (Problem, ValidationProblem, ConflictProblem)
    },
}
for _model in (ValidationProblem, ConflictProblem):
    COMPONENT_SCHEMAS.update(COMPONENT_SCHEMAS[_model.__name__].pop("$defs", {}))


def problem(description: str, model: type[Problem] = Problem) -> dict[str, Any]:
    """A problem response of a route, for its ``responses``."""
    return {
        "description": description,
        "content": {MEDIA_TYPE: {"schema": {"$ref": f"#/components/schemas/{model.__name__}"}}},
    }


def install_openapi(app: FastAPI) -> None:
    """Add the schemas that routes reference by ``$ref`` but FastAPI does not collect itself."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        document = generate()
        document.setdefault("components", {}).setdefault("schemas", {}).update(COMPONENT_SCHEMAS)
        return document

    app.openapi = openapi  # type: ignore[method-assign]
