"""Intake (受理): the front door where every source hands clues over."""
