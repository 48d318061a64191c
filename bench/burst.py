"""Posts a burst of clues to a running stack (`make up`), as the national platform pushes its backlog:
`python -m bench.burst [N]` (default 2000), 32 at a time. Prints what was accepted and how fast."""

import asyncio
import sys

from bench.load import run_load
from tests.support.clues import clue_payload
from tests.support.stack import INTAKE, auth


async def burst(total: int) -> None:
    result = await run_load(
        url=f"{INTAKE}/v1/clues",
        headers=auth("source:national"),
        make_body=lambda _: clue_payload(),
        total=total,
        concurrency=32,
    )
    print(f"{total} clues in {result.seconds:.1f} s ({result.throughput:.0f}/s); statuses {result.statuses}")


if __name__ == "__main__":
    asyncio.run(burst(int(sys.argv[1]) if len(sys.argv) > 1 else 2000))
