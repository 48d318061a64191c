"""Notify's pure domain: who hears of an event, the retry schedule, subscription rules."""
