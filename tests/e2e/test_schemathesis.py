"""Schemathesis with every check against all four services of the running stack (issues 11, 18).

Each run reads the service's /openapi.json and runs the examples, coverage, fuzzing and stateful
phases (stateful where schemathesis finds links) with the development key of one principal. A run is
bounded by work (test cases per operation), never by time: a time budget on a loaded machine ends a
run before it tests anything, and the outcome would depend on what else the machine was doing.
The bar is ``--checks all``: no input answers 5xx, and every answer is what the document says (its
status, content type, schema and headers), schema-valid input is accepted and invalid input refused.
The few operations that refuse schema-valid input for a reason JSON Schema cannot state (an opaque
cursor, a rule across fields) say so, with the reason, in ``tests/<service>/schemathesis.toml``.

It changes shared state on purpose (it loads holiday calendars, the incidence base, clues in random
divisions), so it runs after every other test (``runs_last``). ``ANXIN_SCHEMATHESIS_SCALE`` stretches
or shrinks the cases per operation (default 1); ``ANXIN_SCHEMATHESIS_SEED`` replays a run.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.stack import DEADLINES, INTAKE, NOTIFY, ROUTING, key

pytestmark = pytest.mark.runs_last

SCALE = float(os.environ.get("ANXIN_SCHEMATHESIS_SCALE", "1"))
SEED = os.environ.get("ANXIN_SCHEMATHESIS_SEED")
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")

#: (service, base URL, principal, cases per operation): one run per service, with the principal that
#: reaches most of its code (and deadlines' calendar as admin, the only one who may load it). The runs
#: go one after another: generating cases is CPU-bound, and side by side on a small machine they
#: starve one another (and the services).
RUNS = [
    ("intake", INTAKE, "source:national", 60),  # submits clues
    ("routing", ROUTING, "admin", 25),  # tasks, disputes, cases, reports, the operator's audit
    ("deadlines", DEADLINES, "agency:330106.office", 40),  # visibility and counts as an office (issue 19)
    ("deadlines", DEADLINES, "admin", 15),  # the calendar's years
    ("notify", NOTIFY, "admin", 40),  # deliveries and the operator's redeliver
]
#: Per service: the operations that refuse schema-valid input, and why (tests/<service>/schemathesis.toml).
CONFIGS = Path(__file__).resolve().parents[1]
#: A run that takes longer than this is stuck, not slow.
TIMEOUT_SECONDS = 900
IDS = [f"{service}-as-{principal}" for service, _, principal, _ in RUNS]


def cases(per_operation: int) -> int:
    return max(1, round(per_operation * SCALE))


def command(service: str, base_url: str, principal: str, per_operation: int) -> list[str]:
    config = CONFIGS / service / "schemathesis.toml"
    return [
        str(SCHEMATHESIS),
        "--config-file",
        str(config),
        "run",
        f"{base_url}/openapi.json",
        "--header",
        f"Authorization: Bearer {key(principal)}",
        "--checks",
        "all",
        "--phases",
        "examples,coverage,fuzzing,stateful",
        "--max-examples",
        str(cases(per_operation)),
        # One worker: CPython 3.11.7's ast.parse is not thread-safe (hypothesis calls it while
        # describing strategies), and a second thread fails the run with a SystemError now and then.
        "--workers",
        "1",
        "--request-timeout",
        "20",
        "--no-color",
        *(["--seed", SEED] if SEED else []),
    ]


@pytest.mark.parametrize(("service", "base_url", "principal", "per_operation"), RUNS, ids=IDS)
def test_every_check_passes(
    service: str, base_url: str, principal: str, per_operation: int, tmp_path: Path
) -> None:
    # The working directory holds hypothesis' example database, away from the checkout.
    done = subprocess.run(
        command(service, base_url, principal, per_operation),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, f"schemathesis on {service} as {principal}:\n{output[-12000:]}"
    # A run that generated nothing tested nothing: that is no pass.
    generated = re.search(r"^\s*(\d+) generated", output, re.MULTILINE)
    assert generated, f"no test cases on {service}:\n{output[-4000:]}"
    assert int(generated.group(1)) > 0, f"no test cases on {service}:\n{output[-4000:]}"
