"""The projector: the events of all three topics, applied to the read model."""
