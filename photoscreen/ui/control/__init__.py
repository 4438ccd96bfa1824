"""The controllers and the view-state they publish: every decision the window makes, the photo
on screen, review, opening and reading a folder, export, messages.
"""
