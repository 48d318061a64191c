"""What routing's OpenAPI document says beyond the shared conventions (shared/openapi.py): the completion
body per task kind, the statuses each operation answers of its own (409...), and the `updated_since` check."""

import re
from copy import deepcopy
from typing import Any

from routing.app.results import BODY_BY_KIND
from routing.domain.model import TaskKind
from shared.problems import MEDIA_TYPE

_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
_OFFSET_AS_SPACE = re.compile(r"\d{2}:\d{2}(:\d{2}(\.\d+)?)? \d{2}(:?\d{2})?$")
#: What `updated_since` documents: RFC 3339 moments of 2001-2099 (days 01-28), all of which the service
#: takes; it takes any moment from 2000-01-01T00:00:00Z to 2101-01-01T00:00:00Z, so the pattern is on the
#: safe side for generated clients and property-based tests.
MOMENT_PATTERN = (
    r"^(200[1-9]|20[1-9][0-9])-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])"
    r"T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$"
)
UNENCODED_PLUS = (
    "an unencoded '+' in a query arrives as a space: write the offset as %2B08:00 "
    "(e.g. 2026-12-03T17:16:00%2B08:00) or give the moment in UTC with Z"
)


def refuse_unencoded_plus(value: object) -> object:
    """``...T17:16:00 08:00`` is ``+08:00`` sent unencoded: say how to write it (422)."""
    if isinstance(value, str) and _OFFSET_AS_SPACE.search(value):
        raise ValueError(UNENCODED_PLUS)
    return value


def _problem(description: str, example: dict[str, Any] | None = None) -> dict[str, Any]:
    media: dict[str, Any] = {"schema": _PROBLEM_REF}
    if example is not None:
        media["example"] = {
            "type": "https://anxin.example/problems/" + example["title"].lower().replace(" ", "-")
        }
        media["example"] |= example
    return {"description": description, "content": {MEDIA_TYPE: media}}


_TASK_CONFLICT = _problem(
    "The task's state does not allow this action; `current_state` says which state it is in",
    {
        "title": "Conflict",
        "status": 409,
        "detail": "the task is done; cannot accept a task that is done",
        "current_state": "done",
    },
)
_BAD_CURSOR = _problem(
    "`cursor` is not a next_cursor this service issued",
    {
        "title": "Bad Cursor",
        "status": 400,
        "detail": "The cursor is not one this service issued; start again without it.",
    },
)

#: accept, complete and return: 409 with `current_state` (and, on complete, a clue whose rules
#: cannot go on: a project kind without an industry authority).
ACTION_ERRORS: dict[int | str, dict[str, Any]] = {409: _TASK_CONFLICT}
CURSOR_ERRORS: dict[int | str, dict[str, Any]] = {400: _BAD_CURSOR}
DECISION_ERRORS: dict[int | str, dict[str, Any]] = {
    409: _problem(
        "The dispute is already decided (`current_state`: decided)",
        {
            "title": "Conflict",
            "status": 409,
            "detail": "the task is decided; cannot decide a task that is decided",
            "current_state": "decided",
        },
    )
}
UNLINK_ERRORS: dict[int | str, dict[str, Any]] = {
    409: _problem(
        "The clue is not linked, or it already closed with its lead",
        {"title": "Conflict", "status": 409, "detail": "the clue is not linked to another clue"},
    )
}


def _inline(schema: dict[str, Any]) -> dict[str, Any]:
    """The model's JSON schema with its ``$defs`` (the enums) written in place."""
    definitions = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return walk(deepcopy(definitions[ref.removeprefix("#/$defs/")]))
            return {key: walk(value) for key, value in node.items()}
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    inlined: dict[str, Any] = walk(schema)
    return inlined


def completion_body() -> dict[str, Any]:
    """``openapi_extra`` of the completion: one schema per body, the kinds each serves, an example each.

    The task's kind (GET /v1/tasks/{task_id}) decides which body applies; the service validates the body
    against that one only, so the document says `anyOf` (OutcomeResult's free-text `outcome` also admits
    an InvestigateResult's values)."""
    kinds_of: dict[str, list[TaskKind]] = {}
    models = {}
    for kind, model in BODY_BY_KIND.items():
        title = str(model.model_config.get("title") or model.__name__)
        kinds_of.setdefault(title, []).append(kind)
        models[title] = model
    variants = []
    examples: dict[str, Any] = {}
    for title, model in models.items():
        schema = _inline(model.model_json_schema())
        kinds = ", ".join(f"`{k}`" for k in kinds_of[title])
        schema["description"] = f"{schema.get('description', '')} Task kinds: {kinds}.".strip()
        schema["x-task-kinds"] = [str(k) for k in kinds_of[title]]
        for example in schema.get("examples", []):
            for kind in kinds_of[title]:
                examples.setdefault(str(kind), {"summary": f"a {kind} task", "value": example})
        variants.append(schema)
    return {
        "requestBody": {
            "required": True,
            "description": "The result of the task, by its kind: "
            + "; ".join(f"{', '.join(kinds_of[t])}: {t}" for t in models),
            "content": {"application/json": {"schema": {"anyOf": variants}, "examples": examples}},
        }
    }
