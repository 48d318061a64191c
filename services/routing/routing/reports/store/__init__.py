"""The read model in PostgreSQL: its tables, the repositories of the ports, the unit of work."""
