"""The session database and what keeps it honest: the store, its schema and migrations, the
chained audit trail, decisions as rows, the folder lock, this PC's fallback copy and centre
file.
"""
