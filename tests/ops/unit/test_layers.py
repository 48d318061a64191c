"""The layer contracts of pyproject.toml (run by `make lint`) fail when a layer is crossed.

A copy of the packages gets two crossings: a domain module importing the store, and a route importing
SQLAlchemy. import-linter, run on the copy with the project's own configuration, must name the contracts
they break; run on the checkout itself (make lint) it keeps them all.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
SERVICES = ("intake", "routing", "deadlines", "notify")


def copy_of_the_packages(into: Path) -> list[Path]:
    ignore = shutil.ignore_patterns("__pycache__", "migrations")
    shutil.copytree(REPO / "shared", into / "shared", ignore=ignore)
    roots = [into]
    for service in SERVICES:
        shutil.copytree(REPO / "services" / service / service, into / service / service, ignore=ignore)
        roots.append(into / service)
    return roots


def lint_imports(roots: list[Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(str(root) for root in roots)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-logo", "--no-cache", "--config", str(REPO / "pyproject.toml")],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_crossing_a_layer_breaks_its_contract(tmp_path: Path) -> None:
    roots = copy_of_the_packages(tmp_path)
    with (tmp_path / "intake/intake/domain/rules.py").open("a", encoding="utf-8") as rules:
        rules.write("\nfrom intake.store import tables  # noqa\n")
    with (tmp_path / "notify/notify/api/routes.py").open("a", encoding="utf-8") as routes:
        routes.write("\nimport sqlalchemy  # noqa\n")

    done = lint_imports(roots, tmp_path)

    assert done.returncode == 1, done.stdout + done.stderr
    broken = [line.removesuffix(" BROKEN") for line in done.stdout.splitlines() if line.endswith(" BROKEN")]
    # The domain's import of the store also reaches SQLAlchemy, and the routes reach the store through it.
    assert sorted(broken) == [
        "HTTP routes and consumers reach the database only through the use cases' ports",
        "HTTP routes and consumers write no SQL of their own",
        "In each service, adapters sit above use cases, and use cases above the domain",
        "The domain imports no I/O library",
    ], done.stdout
    assert "intake.domain is not allowed to import intake.store" in done.stdout
    assert "notify.api is not allowed to import sqlalchemy" in done.stdout
