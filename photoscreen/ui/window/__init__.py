"""The main window and the composition root that builds and wires it."""
