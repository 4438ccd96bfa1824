"""The centre's and the folder's settings, declared once, and the reviewer PIN: which one
applies, its attempts and its changes.
"""
