"""Long jobs over a whole folder: ingest (and its schedule) and export."""
