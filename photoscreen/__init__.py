"""photoscreen: makes photos of children safe to post on social media."""

__version__ = "0.1.0"
