"""drillbook: compile, lint, render and simulate workflow markdown."""

__version__ = "0.1.0"
