"""Reading photo files and decoding them to upright 8-bit sRGB: the JPEG fast path, colour
(ICC, nclx), orientation, and grid thumbnails.
"""
