"""Construction's jobs of the works part (written by its owner)."""
