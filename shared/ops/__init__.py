"""The operator CLI ``anxin-ops``: keys, backlog, calendar, DLQ replay, redelivery, audit."""
