"""Tests of core/faces."""
