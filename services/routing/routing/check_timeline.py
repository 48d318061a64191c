"""Operator command: verify the hash chain of case timelines (办理记录).

``python -m routing.check_timeline [clue_id ...]`` checks the named cases, or every case without
arguments. It prints one line per broken chain and exits 1 if any is broken, else 0.
"""

import asyncio
import sys
from collections.abc import Sequence

from routing.domain.timeline import verify_chain
from routing.store.queries import timelines
from shared.db import make_engine, make_session_factory
from shared.settings import CommonSettings


async def broken_chains(database_url: str, clue_ids: Sequence[str]) -> list[str]:
    engine = make_engine(database_url, pool_size=1)
    sessions = make_session_factory(engine)
    try:
        async with sessions() as session:
            by_clue = dict(await timelines(session, clue_ids=clue_ids))
    finally:
        await engine.dispose()
    problems = [f"{clue_id}: no timeline" for clue_id in clue_ids if clue_id not in by_clue]
    for clue_id, entries in by_clue.items():
        check = verify_chain(entries)
        if not check.valid:
            problems.append(f"{clue_id}: broken at entry {check.broken_at}: {check.problem}")
    return problems


def main(argv: Sequence[str]) -> int:
    problems = asyncio.run(broken_chains(CommonSettings().database_url, list(argv)))
    for line in problems:
        sys.stdout.write(line + "\n")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
