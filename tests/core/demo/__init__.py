"""Tests of core/demo."""
