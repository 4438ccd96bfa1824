"""Tests of core/render."""
