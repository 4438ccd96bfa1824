"""The thumbnail grid: its model, the painted cells, the status filter, and why a file cannot
be used.
"""
