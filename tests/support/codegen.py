"""Clients generated from the running services' OpenAPI documents by openapi-python-client.

The generator pins typer<0.28 while the project runs a newer one, so it lives in a venv of its own,
``.local/codegen``: pip installs the ``codegen`` dependency group of pyproject.toml into it (from the pip
cache once it has been fetched) and it is rebuilt when that group changes.
"""

import hashlib
import importlib
import json
import subprocess
import sys
import tomllib
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[2]
VENV = REPO / ".local" / "codegen"
GROUP = "codegen"
#: No post hooks: the generator would run ruff over the code, which a throwaway client does not need.
CONFIG: dict[str, list[str]] = {"post_hooks": []}


def _group() -> list[str]:
    with (REPO / "pyproject.toml").open("rb") as f:
        requirements: list[str] = tomllib.load(f)["dependency-groups"][GROUP]
    return requirements


def generator() -> Path:
    """The ``openapi-python-client`` executable, installing it first if the pinned group changed."""
    executable = VENV / "bin" / "openapi-python-client"
    stamp = VENV / ".anxin-group"
    want = hashlib.sha256(json.dumps(_group()).encode()).hexdigest()[:16]
    if executable.exists() and stamp.exists() and stamp.read_text() == want:
        return executable
    subprocess.run([sys.executable, "-m", "venv", "--clear", "--without-pip", str(VENV)], check=True)
    # This venv's pip installs into the new one (`--python`), so that one needs no pip of its own.
    group = f"{REPO / 'pyproject.toml'}:{GROUP}"
    pip = [sys.executable, "-m", "pip", "--python", str(VENV / "bin" / "python")]
    subprocess.run([*pip, "install", "-q", "--group", group], check=True)
    stamp.write_text(want)
    return executable


def generate(documents: dict[str, str], into: Path) -> None:
    """Generate each package (name -> document URL) in ``into``, side by side; any warning fails."""
    executable = generator()
    running = {}
    for package, url in documents.items():
        config = into / f"{package}.json"
        config.write_text(json.dumps(CONFIG))
        where = ["--config", str(config), "--output-path", str(into / package)]
        running[package] = subprocess.Popen(
            [str(executable), "generate", "--url", url, "--meta", "none", "--fail-on-warning", *where],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
    for package, process in running.items():
        output, _ = process.communicate()
        assert process.returncode == 0, f"{package} from {documents[package]}:\n{output}"


class Generated:
    """One generated client package: its modules by their path below the package."""

    def __init__(self, package: str, into: Path) -> None:
        if str(into) not in sys.path:
            sys.path.insert(0, str(into))
        self.package = package

    def module(self, path: str) -> ModuleType:
        return importlib.import_module(f"{self.package}.{path}")

    def model(self, name: str) -> Any:
        """A class of ``<package>.models``."""
        return getattr(self.module("models"), name)

    def operation(self, tag: str, name: str) -> Any:
        """The ``asyncio_detailed`` function of operation module ``api/<tag>/<name>``."""
        return self.module(f"api.{tag}.{name}").asyncio_detailed

    def client(self, base_url: str, token: str) -> Any:
        return self.module("client").AuthenticatedClient(
            base_url=base_url, token=token, timeout=httpx.Timeout(30)
        )
