"""Tests of the command-line commands (status, export, verify)."""
