"""Tests of core/identifiers."""
