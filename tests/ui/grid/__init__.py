"""Tests of ui/grid."""
