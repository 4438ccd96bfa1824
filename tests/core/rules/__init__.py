"""Tests of core/rules."""
