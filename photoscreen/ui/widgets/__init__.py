"""The window's widgets: the side panel, review mode, the welcome page, keyboard help and the
command table.
"""
