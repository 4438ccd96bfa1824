"""Where core jobs run off the GUI thread: the worker pools, the job bodies for the photo on
screen and thumbnails, and numpy pixels turned into QImages.
"""
