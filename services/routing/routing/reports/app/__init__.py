"""Use cases of the reports: project events into the read model, and read it."""
