"""pytest-qt tests of the window's models, widgets, workers and whole flows (offscreen)."""
