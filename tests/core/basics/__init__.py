"""Tests of core/basics."""
