"""Task states as they travel in events (CONTRACT.md, Routing: tasks)."""

#: A task is unfinished while it is open or accepted.
UNFINISHED_TASK_STATES = ("open", "accepted")
