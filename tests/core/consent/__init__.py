"""Tests of core/consent."""
