"""Permissions of this part (see the package)."""
