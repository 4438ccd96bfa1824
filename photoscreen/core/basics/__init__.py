"""Small things every part of the core may use: face boxes, file names as the system gives
them, printable text, cancel tokens, freed memory, process identity.
"""
