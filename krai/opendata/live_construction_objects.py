"""The live dataset of construction's objects part (written by its owner), read through the area's selectors."""
