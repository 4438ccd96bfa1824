"""What identifying data a photo file carries, in plain words: one reader per kind (EXIF, XMP,
IPTC, PNG chunks, ICC names, HEIF) and the findings they report.
"""
