"""GET /v1/reports/... (CONTRACT.md assigns /v1/reports to routing) and the incidence base."""
