"""What integrators generate clients from: each service's /docs works with no internet, its OpenAPI
document declares the bearer scheme and documents errors as the problem details they are."""

import re

import httpx
import pytest

from tests.support.stack import DEADLINES, INTAKE, NOTIFY, ROUTING

SERVICES = {"intake": INTAKE, "routing": ROUTING, "deadlines": DEADLINES, "notify": NOTIFY}


@pytest.mark.parametrize("service", SERVICES)
def test_docs_load_every_asset_from_the_service_itself(service: str) -> None:
    base = SERVICES[service]
    page = httpx.get(f"{base}/docs", timeout=10)
    assert page.status_code == 200
    assets = re.findall(r"""(?:src|href)=['"]([^'"]+)['"]""", page.text)
    assert assets, page.text
    assert all(asset.startswith("/docs/assets/") for asset in assets), assets
    assert "//" not in "".join(assets)  # nothing from another host
    for asset in assets:
        loaded = httpx.get(f"{base}{asset}", timeout=10)
        assert loaded.status_code == 200, asset
        assert loaded.content, asset
    script = httpx.get(f"{base}/docs/assets/swagger-ui-bundle.js", timeout=10)
    assert "SwaggerUIBundle" in script.text
    assert httpx.get(f"{base}/redoc", timeout=10).status_code == 404  # the CDN-only page is gone


@pytest.mark.parametrize("service", SERVICES)
def test_the_document_declares_bearer_keys_and_problem_details(service: str) -> None:
    document = httpx.get(f"{SERVICES[service]}/openapi.json", timeout=10).json()
    schemes = document["components"]["securitySchemes"]
    assert schemes["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schemes["bearer"]["description"],
    }
    assert "HTTPValidationError" not in document["components"]["schemas"]
    secured = 0
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            where = f"{method.upper()} {path}"
            assert "500" in responses, where
            for status, response in responses.items():
                if status.startswith(("4", "5")):
                    assert list(response["content"]) == ["application/problem+json"], (where, status)
            if operation.get("security"):
                secured += 1
                assert operation["security"] == [{"bearer": []}], where
                assert {"401", "403"} <= set(responses), where
            if "{" in path:
                assert "404" in responses, where
    assert secured > 0
