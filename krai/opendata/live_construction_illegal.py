"""The live dataset of construction's illegal part (written by its owner), read through the area's selectors."""
