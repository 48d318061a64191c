"""deploy/compose and deploy/k8s, checked offline: structure, and the Kubernetes schemas."""

import copy
import re
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from shared.settings import CommonSettings

REPO = Path(__file__).resolve().parents[3]
COMPOSE = REPO / "deploy" / "compose"
K8S = REPO / "deploy" / "k8s"
SERVICES = ["intake", "routing", "deadlines", "notify"]
KUBERNETES_VERSION = "1.37.0"

Doc = dict[str, Any]


def _merge(base: Any, patch: Any) -> Any:
    """Strategic merge as kustomize applies it to what we patch: maps merge, named lists merge by name."""
    if isinstance(base, dict) and isinstance(patch, dict):
        merged = dict(base)
        for key, value in patch.items():
            merged[key] = _merge(base[key], value) if key in base else value
        return merged
    if (
        isinstance(base, list)
        and isinstance(patch, list)
        and all(isinstance(i, dict) and "name" in i for i in patch)
    ):
        merged_list = list(base)
        for item in patch:
            index = next((i for i, old in enumerate(merged_list) if old.get("name") == item["name"]), None)
            if index is None:
                merged_list.insert(0, item)
            else:
                merged_list[index] = _merge(merged_list[index], item)
        return merged_list
    return patch


def render(directory: Path) -> list[Doc]:
    """What `kustomize build` makes of the features our kustomizations use."""
    kustomization = yaml.safe_load((directory / "kustomization.yaml").read_text(encoding="utf-8"))
    docs: list[Doc] = []
    for resource in kustomization.get("resources", []):
        path = directory / resource
        if path.is_dir():
            docs += render(path)
        else:
            docs += [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]
    for patch in kustomization.get("patches", []):
        body = yaml.safe_load((directory / patch["path"]).read_text(encoding="utf-8"))
        target = patch.get("target", {"kind": body["kind"], "name": body["metadata"]["name"]})
        for i, doc in enumerate(docs):
            if (
                doc["kind"] == target["kind"]
                and target.get("name", doc["metadata"]["name"]) == doc["metadata"]["name"]
            ):
                patched = copy.deepcopy(body)
                patched["metadata"] = doc["metadata"]
                docs[i] = _merge(doc, patched)
    for replicas in kustomization.get("replicas", []):
        for doc in docs:
            if doc["kind"] == "Deployment" and doc["metadata"]["name"] == replicas["name"]:
                doc["spec"]["replicas"] = replicas["count"]
    if "namespace" in kustomization:
        for doc in docs:
            doc["metadata"]["namespace"] = kustomization["namespace"]
    return docs


def _containers(doc: Doc) -> list[Doc]:
    containers: list[Doc] = doc["spec"]["template"]["spec"]["containers"]
    return containers


@pytest.fixture(scope="module", params=["base", "overlays/production", "overlays/development"])
def rendered(request: pytest.FixtureRequest) -> tuple[str, list[Doc]]:
    return request.param, render(K8S / request.param)


def test_every_manifest_is_valid_against_the_kubernetes_schemas(rendered: tuple[str, list[Doc]]) -> None:
    _, docs = rendered
    for doc in docs:
        kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)


def test_a_misspelled_field_fails_the_schema_check() -> None:
    """The check above can fail: strict validation rejects what Kubernetes would ignore."""
    deployment = next(d for d in render(K8S / "base") if d["kind"] == "Deployment")
    broken = copy.deepcopy(deployment)
    broken["spec"]["replica"] = 2
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)


def test_every_service_has_probes_resources_a_pdb_and_a_service(rendered: tuple[str, list[Doc]]) -> None:
    _, docs = rendered
    by_kind: dict[str, dict[str, Doc]] = {}
    for doc in docs:
        by_kind.setdefault(doc["kind"], {})[doc["metadata"]["name"]] = doc
    for service in SERVICES:
        (container,) = _containers(by_kind["Deployment"][service])
        assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
        assert {"cpu", "memory"} <= set(container["resources"]["requests"])
        assert {"name": "ANXIN_SERVICE", "value": service} in container["env"]
        assert container["envFrom"] == [{"configMapRef": {"name": "anxin-config"}}]
        database = next(e for e in container["env"] if e["name"] == "ANXIN_DATABASE_URL")
        assert database["valueFrom"]["secretKeyRef"]["name"] == "anxin-database"
        pod = by_kind["Deployment"][service]["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        selector = by_kind["Deployment"][service]["spec"]["selector"]["matchLabels"]
        assert by_kind["PodDisruptionBudget"][service]["spec"]["selector"]["matchLabels"] == selector
        assert by_kind["Service"][service]["spec"]["selector"] == selector
    (job,) = by_kind["Job"].values()
    assert _containers(job)[0]["command"] == ["anxin-migrate"]
    assert "anxin-config" in by_kind["ConfigMap"]


def test_production_runs_in_production_mode_with_the_keys_secret_and_several_replicas() -> None:
    docs = render(K8S / "overlays" / "production")
    config = next(d for d in docs if d["kind"] == "ConfigMap")["data"]
    assert config["ANXIN_MODE"] == "production"
    assert config["ANXIN_KEYS_FILE"].startswith("/etc/anxin/keys/")
    for deployment in (d for d in docs if d["kind"] == "Deployment"):
        assert deployment["spec"]["replicas"] >= 2
        (container,) = _containers(deployment)
        mount = next(m for m in container["volumeMounts"] if m["name"] == "keys")
        assert config["ANXIN_KEYS_FILE"].startswith(mount["mountPath"])
        volumes = {v["name"]: v for v in deployment["spec"]["template"]["spec"]["volumes"]}
        assert volumes["keys"]["secret"]["secretName"] == "anxin-keys"


def test_production_reaches_kafka_with_sasl_over_tls_and_passes_its_own_start_up_check(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    docs = render(K8S / "overlays" / "production")
    config = next(d for d in docs if d["kind"] == "ConfigMap")["data"]
    assert config["ANXIN_KAFKA_SECURITY_PROTOCOL"] == "SASL_SSL"
    for deployment in (d for d in docs if d["kind"] == "Deployment"):
        (container,) = _containers(deployment)
        env = {e["name"]: e for e in container["env"]}
        for name in ("ANXIN_KAFKA_SASL_USERNAME", "ANXIN_KAFKA_SASL_PASSWORD"):
            assert env[name]["valueFrom"]["secretKeyRef"]["name"] == "anxin-kafka", name
        mount = next(m for m in container["volumeMounts"] if m["name"] == "kafka-ca")
        assert config["ANXIN_KAFKA_SSL_CAFILE"].startswith(mount["mountPath"])
    # The services' own check accepts this configuration, and refuses it without the secrets.
    for name, value in config.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("ANXIN_KAFKA_SASL_USERNAME", "anxin-routing")
    monkeypatch.setenv("ANXIN_KAFKA_SASL_PASSWORD", "from-the-secret")
    assert not CommonSettings(_env_file=None).kafka_problems()
    monkeypatch.delenv("ANXIN_KAFKA_SASL_USERNAME")
    assert CommonSettings(_env_file=None).kafka_problems()


def test_only_intake_and_routing_hold_the_personal_data_key_in_production() -> None:
    docs = render(K8S / "overlays" / "production")
    holders = set()
    for deployment in (d for d in docs if d["kind"] == "Deployment"):
        (container,) = _containers(deployment)
        env = {e["name"]: e for e in container.get("env", [])}
        if "ANXIN_PERSONAL_DATA_KEY" in env:
            assert (
                env["ANXIN_PERSONAL_DATA_KEY"]["valueFrom"]["secretKeyRef"]["name"] == "anxin-personal-data"
            )
            holders.add(deployment["metadata"]["name"])
    assert holders == {"intake", "routing"}


def test_compose_runs_kafka_in_kraft_postgres_migrations_and_the_four_services() -> None:
    compose = yaml.safe_load((COMPOSE / "compose.yaml").read_text(encoding="utf-8"))
    services: dict[str, Doc] = compose["services"]
    assert set(services) == {"kafka", "postgres", "migrate", *SERVICES}
    assert "controller" in services["kafka"]["environment"]["KAFKA_PROCESS_ROLES"]
    assert "ZOOKEEPER" not in str(services["kafka"]).upper()
    assert services["migrate"]["command"] == ["anxin-migrate"]
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in ("kafka", "postgres", *SERVICES):
        assert services[name]["healthcheck"]["test"], name
    for name in SERVICES:
        service = services[name]
        assert service["environment"]["ANXIN_SERVICE"] == name
        assert service["depends_on"] == {
            "kafka": {"condition": "service_healthy"},
            "postgres": {"condition": "service_healthy"},
            "migrate": {"condition": "service_completed_successfully"},
        }
        assert "/readyz" in " ".join(service["healthcheck"]["test"])
        assert service["build"]["dockerfile"] == "deploy/compose/Dockerfile"
        assert (COMPOSE / service["build"]["context"] / service["build"]["dockerfile"]).is_file()


def test_the_image_runs_as_a_non_root_user_with_a_healthcheck() -> None:
    dockerfile = (COMPOSE / "Dockerfile").read_text(encoding="utf-8")
    users = re.findall(r"^USER\s+(\S+)", dockerfile, flags=re.MULTILINE)
    assert users, "the image must set USER"
    assert users[-1].split(":")[0] not in {"0", "root"}
    assert re.search(r"^HEALTHCHECK .*", dockerfile, flags=re.MULTILINE)
    copied = re.findall(r"^COPY (?!--from)(\S+)", dockerfile, flags=re.MULTILINE)
    for source in copied:
        assert (REPO / source).exists(), source


# Issue 19 item 4: production unless something says otherwise, no development keys in the image,
# compose published on loopback only.


def test_the_kubernetes_base_runs_in_production_mode_and_development_is_an_overlay() -> None:
    base = next(d for d in render(K8S / "base") if d["kind"] == "ConfigMap")["data"]
    assert base["ANXIN_MODE"] == "production"
    docs = render(K8S / "overlays" / "development")
    assert next(d for d in docs if d["kind"] == "ConfigMap")["data"]["ANXIN_MODE"] == "development"
    for deployment in (d for d in docs if d["kind"] == "Deployment"):
        (container,) = _containers(deployment)
        mount = next(m for m in container["volumeMounts"] if m["name"] == "dev-principals")
        assert mount["mountPath"] == "/app/deploy/local"
        assert mount["readOnly"] is True


def test_production_notify_gets_its_secrets_key_from_a_secret() -> None:
    docs = render(K8S / "overlays" / "production")
    notify = next(d for d in docs if d["kind"] == "Deployment" and d["metadata"]["name"] == "notify")
    (container,) = _containers(notify)
    key = next(e for e in container["env"] if e["name"] == "ANXIN_NOTIFY_SECRETS_KEY")
    assert key["valueFrom"]["secretKeyRef"]["name"] == "anxin-notify"


def test_compose_defaults_to_production_on_loopback_without_the_development_password() -> None:
    text = (COMPOSE / "compose.yaml").read_text(encoding="utf-8")
    compose = yaml.safe_load(text)
    services: dict[str, Doc] = compose["services"]
    for name in SERVICES:
        environment = services[name]["environment"]
        assert environment["ANXIN_MODE"] == "${ANXIN_MODE:-production}"
        assert "ssl=require" in environment["ANXIN_DATABASE_URL"]
        for port in services[name]["ports"]:
            assert str(port).startswith("127.0.0.1:"), (name, port)
    assert ":-anxin}" not in text, "no default database password"
    assert "ssl=on" in services["postgres"]["command"]
    dev = yaml.safe_load((COMPOSE / "compose.dev.yaml").read_text(encoding="utf-8"))["services"]
    for name in SERVICES:
        assert dev[name]["environment"]["ANXIN_MODE"] == "development"
        assert any("principals.yaml" in v for v in dev[name]["volumes"])


def test_the_image_holds_no_development_keys() -> None:
    dockerfile = (COMPOSE / "Dockerfile").read_text(encoding="utf-8")
    copied = re.findall(r"^COPY (?!--from)(.+)$", dockerfile, flags=re.MULTILINE)
    assert not any("principals" in line for line in copied)
    assert "principals" not in (COMPOSE / "Dockerfile.dockerignore").read_text(encoding="utf-8")
    assert re.search(r"ANXIN_MODE=production", dockerfile)


def test_the_settings_default_to_production_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    from shared.settings import CommonSettings, Mode

    monkeypatch.delenv("ANXIN_MODE", raising=False)
    assert CommonSettings().mode == Mode.PRODUCTION
