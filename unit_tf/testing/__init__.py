"""Helpers shared by unit_tf's tests (and usable by users' own layer tests)."""
