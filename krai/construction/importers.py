"""Construction's importers, registered with the import kernel (filled by the illegal part's owner)."""
