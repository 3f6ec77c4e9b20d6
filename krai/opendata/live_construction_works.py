"""The live dataset of construction's works part (written by its owner), read through the area's selectors."""
