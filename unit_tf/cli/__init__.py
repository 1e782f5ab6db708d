"""Command-line interface: the only package that reads flags."""
