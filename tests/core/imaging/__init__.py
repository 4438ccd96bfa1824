"""Tests of core/imaging."""
