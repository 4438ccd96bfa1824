"""Tests of core/workflows."""
