"""Plumbing shared by the Anxin services: wire contracts, settings, Kafka, database, HTTP."""
