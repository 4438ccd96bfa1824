"""Tests of ui/folder."""
