"""Intake's pure domain: clue facts, emergency thresholds, duplicate matching, fingerprints."""
