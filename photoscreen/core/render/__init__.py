"""Making the shareable copy of one photo: irreversible redaction, fresh JPEG encoding, the
safe-export engine, and where an export may write.
"""
