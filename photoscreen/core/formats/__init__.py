"""Recognising a file's format from its bytes and walking its containers: PNG/WebP/GIF, JPEG
segments, TIFF directories and pages.
"""
