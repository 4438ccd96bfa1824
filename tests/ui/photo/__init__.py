"""Tests of ui/photo."""
