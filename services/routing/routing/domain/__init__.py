"""Pure workflow core of routing: frozen dataclasses and rule functions, no I/O and no clock."""
