"""Krai: an open platform for a regional government."""

__version__ = "0.1.0"
