"""The session: one opened folder, its listing, every decision about its photos with undo/redo,
and the rules that protect one person's decisions from another's.
"""
