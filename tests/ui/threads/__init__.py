"""Tests of ui/threads."""
