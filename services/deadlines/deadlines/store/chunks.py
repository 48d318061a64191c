"""Bulk statements go in chunks, so that no statement carries more parameters than PostgreSQL takes."""

from typing import TypeVar

T = TypeVar("T")

CHUNK = 5000


def chunks(items: list[T], size: int = CHUNK) -> list[list[T]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
