"""The delivery worker: an adapter that sends due webhooks and records each try through the use cases."""
