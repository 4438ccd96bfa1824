"""Whole-system tests: the state machine, crash safety, layers, the set-up script."""
