"""What the pipeline benchmark reads besides HTTP: CPU time from /proc and, read-only, routing.tasks.

CPU of a process tree = the root's utime+stime, plus cutime+cstime (children it has reaped), plus the
same of every live descendant. PostgreSQL's postmaster reaps its backends, so a cluster's CPU between
two samples is complete even when connections come and go during the window.
"""

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

TICK = os.sysconf("SC_CLK_TCK")
#: The stack's processes by pid file under $ANXIN_STATE/run (deploy/local/stack.sh, kafka.sh).
PID_FILES = ("intake", "routing", "deadlines", "notify", "kafka")


@dataclass(frozen=True)
class ProcStat:
    ppid: int
    own: float  # utime + stime, seconds
    children: float  # cutime + cstime, seconds


def read_stat(pid: int) -> ProcStat | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2 :].split()  # after "pid (comm) ": state is fields[0]
    utime, stime, cutime, cstime = (int(v) for v in fields[11:15])
    return ProcStat(ppid=int(fields[1]), own=(utime + stime) / TICK, children=(cutime + cstime) / TICK)


def snapshot() -> dict[int, ProcStat]:
    stats: dict[int, ProcStat] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit() and (stat := read_stat(int(entry.name))) is not None:
            stats[int(entry.name)] = stat
    return stats


def tree_seconds(root: int, stats: dict[int, ProcStat]) -> float | None:
    if root not in stats:
        return None
    children: dict[int, list[int]] = {}
    for pid, stat in stats.items():
        children.setdefault(stat.ppid, []).append(pid)
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        total += stats[pid].own + stats[pid].children
        todo.extend(children.get(pid, []))
    return total


def own_seconds(pid: int, stats: dict[int, ProcStat]) -> float | None:
    """One process alone (its threads included), not the children it started."""
    return stats[pid].own if pid in stats else None


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine spent busy (every core), from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
    guest = sum(values[8:10]) if len(values) > 9 else 0  # already counted in user and nice
    return (sum(values) - idle - guest) / TICK


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


@dataclass(frozen=True)
class CpuSample:
    at: float  # perf_counter
    trees: dict[str, float]  # name -> CPU seconds of the process tree
    db_backends: dict[int, float]  # this database's backends: pid -> CPU seconds
    machine: float


@dataclass(frozen=True)
class CpuUse:
    seconds: float  # wall-clock seconds between the samples
    by_name: dict[str, float]  # name -> CPU seconds used between the samples (only what was measured)
    machine: float

    def cores(self, name: str) -> float | None:
        used = self.by_name.get(name)
        return None if used is None else used / self.seconds


class CpuProbe:
    """CPU time of named process trees, of one database's backends, and of the whole machine."""

    def __init__(
        self,
        roots: dict[str, int],
        *,
        postmaster: int | None,
        database: str | None,
        own_only: frozenset[str] = frozenset(),
    ) -> None:
        self.roots, self.own_only = dict(roots), own_only
        if postmaster is not None:
            self.roots["postgres (whole cluster)"] = postmaster
        self.postmaster, self.database = postmaster, database

    @classmethod
    def for_stack(
        cls,
        state: Path,
        extra: dict[str, int],
        *,
        postmaster: int | None,
        database: str | None,
        own_only: frozenset[str] = frozenset(),
    ) -> "CpuProbe":
        """The stack's processes from their pid files, plus `extra` (the load side)."""
        roots = {}
        for name in PID_FILES:
            try:
                roots[name] = int((state / "run" / f"{name}.pid").read_text().strip())
            except (OSError, ValueError):
                continue  # not measured: the report says so
        return cls({**roots, **extra}, postmaster=postmaster, database=database, own_only=own_only)

    def sample(self) -> CpuSample:
        stats = snapshot()
        trees = {
            name: s
            for name, root in self.roots.items()
            if (s := own_seconds(root, stats) if name in self.own_only else tree_seconds(root, stats))
            is not None
        }
        backends: dict[int, float] = {}
        if self.postmaster is not None and self.database:
            for pid, stat in stats.items():
                if stat.ppid == self.postmaster and f" {self.database} " in cmdline(pid):
                    backends[pid] = stat.own
        return CpuSample(time.perf_counter(), trees, backends, machine_busy_seconds())

    def names(self) -> list[str]:
        names = list(self.roots)
        if self.postmaster is not None and self.database:
            names.insert(names.index("postgres (whole cluster)") + 1, "postgres (this database's backends)")
        return names


def cpu_between(start: CpuSample, end: CpuSample) -> CpuUse:
    used = {name: end.trees[name] - start.trees[name] for name in start.trees.keys() & end.trees.keys()}
    if end.db_backends or start.db_backends:
        # Backends alive at the end: their CPU since the start (all of it if they were born since).
        # A backend that exited in between is missed here (the whole-cluster figure has it).
        used["postgres (this database's backends)"] = sum(
            t - start.db_backends.get(pid, 0.0) for pid, t in end.db_backends.items()
        )
    return CpuUse(end.at - start.at, used, end.machine - start.machine)


async def postmaster_of(engine: AsyncEngine) -> tuple[int | None, str | None]:
    """The postmaster's pid (the parent of our backend, if it runs on this machine) and the database."""
    async with engine.connect() as connection:
        row = (await connection.execute(text("select pg_backend_pid(), current_database()"))).one()
    stat = read_stat(int(row[0]))
    return (stat.ppid if stat else None), str(row[1])


async def first_tasks(engine: AsyncEngine, clue_ids: Iterable[str]) -> dict[str, float]:
    """Wall-clock time (epoch seconds) of the first task of each clue that has one (routing.tasks)."""
    ids = list(clue_ids)
    if not ids:
        return {}
    async with engine.connect() as connection:
        rows = await connection.execute(
            text(
                "select clue_id, min(created_at) from routing.tasks where clue_id = any(:ids) group by clue_id"
            ),
            {"ids": ids},
        )
        return {
            str(clue_id): created.timestamp() for clue_id, created in rows if isinstance(created, datetime)
        }
