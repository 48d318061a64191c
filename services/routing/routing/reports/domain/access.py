"""Who reads the reports: the leading-group offices (领导小组办公室) and admin."""

from typing import Protocol

from shared.errors import ForbiddenError
from shared.places import DIVISIONS


class Reader(Protocol):
    """The caller, as far as the reports ask (``shared.auth.Principal`` is one)."""

    @property
    def is_admin(self) -> bool: ...

    @property
    def is_city_office(self) -> bool: ...

    @property
    def is_office(self) -> bool: ...

    @property
    def division(self) -> str | None: ...


def visible_division(reader: Reader) -> str | None:
    """None for everything; a division code for a division office; ForbiddenError for anyone else."""
    if reader.is_admin or reader.is_city_office:
        return None
    if reader.is_office and reader.division in DIVISIONS:
        return reader.division
    raise ForbiddenError("Reports are for the leading-group offices and admin.")
