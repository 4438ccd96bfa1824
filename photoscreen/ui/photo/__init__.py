"""The photo, large, with its face boxes: the zoomable view, the box items and their parts, and
what keys do to a box.
"""
