"""The four OpenAPI documents, built in-process (issue 18): every operation has a summary, every /v1
operation the bearer scheme and examples of what it takes and answers; and each service's
schemathesis configuration names only operations its document has."""

import importlib
import tomllib
from pathlib import Path
from typing import Any

import pytest

SERVICES = ["intake", "routing", "deadlines", "notify"]
TESTS = Path(__file__).resolve().parents[2]
_documents: dict[str, dict[str, Any]] = {}


async def document(service: str) -> dict[str, Any]:
    """The service's /openapi.json; built in an event loop (the app makes its Kafka producer)."""
    if service not in _documents:
        app = importlib.import_module(f"{service}.main").create_app()
        _documents[service] = app.openapi()
    return _documents[service]


def operations(doc: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (f"{method.upper()} {path}", operation)
        for path, methods in doc["paths"].items()
        for method, operation in methods.items()
    ]


def resolve(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def exemplified(doc: dict[str, Any], schema: dict[str, Any], depth: int = 0) -> bool:
    """The schema, or what it is made of (its properties, items or alternatives), shows examples."""
    schema = resolve(doc, schema)
    if schema.get("examples") or "example" in schema:
        return True
    if depth > 3:
        return False
    parts = [*schema.get("properties", {}).values(), *schema.get("anyOf", []), *schema.get("oneOf", [])]
    parts += [schema["items"]] if "items" in schema else []
    return any(exemplified(doc, part, depth + 1) for part in parts)


def media_exemplified(doc: dict[str, Any], media: dict[str, Any]) -> bool:
    return bool(media.get("examples")) or "example" in media or exemplified(doc, media.get("schema", {}))


@pytest.mark.parametrize("service", SERVICES)
async def test_every_operation_has_a_summary(service: str) -> None:
    doc = await document(service)
    missing = [name for name, operation in operations(doc) if not operation.get("summary")]
    assert not missing, missing


@pytest.mark.parametrize("service", SERVICES)
async def test_every_api_operation_declares_bearer_keys_and_shows_examples(service: str) -> None:
    doc = await document(service)
    assert doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    wanting: list[str] = []
    for name, operation in operations(doc):
        if " /v1/" not in name:
            continue  # health, readiness and the AsyncAPI document: no key, nothing to exemplify
        if operation.get("security") != [{"bearer": []}]:
            wanting.append(f"{name}: no bearer scheme")
        for media_type, media in operation.get("requestBody", {}).get("content", {}).items():
            if not media_exemplified(doc, media):
                wanting.append(f"{name}: body {media_type} without examples")
        for status, response in operation["responses"].items():
            for media_type, media in response.get("content", {}).items():
                if status.startswith("2") and not media_exemplified(doc, media):
                    wanting.append(f"{name}: {status} {media_type} without examples")
    assert not wanting, "\n".join(wanting)


@pytest.mark.parametrize("service", SERVICES)
async def test_schemathesis_configuration_names_real_operations(service: str) -> None:
    """An operation renamed in the document would silently lose its documented exception; and
    include-path with include-method selects operations matching either, so names only."""
    config = tomllib.loads((TESTS / service / "schemathesis.toml").read_text())
    known = {name for name, _ in operations(await document(service))}
    for entry in config.get("operations", []):
        assert set(entry) <= {"include-name", "checks"}, entry
        names = entry["include-name"]
        names = [names] if isinstance(names, str) else names
        assert set(names) <= known, sorted(set(names) - known)
