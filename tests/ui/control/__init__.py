"""Tests of ui/control."""
