"""Tests of core/metadata."""
