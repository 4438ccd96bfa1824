"""Tests of the Qt-free core, one folder per part of photoscreen.core."""
