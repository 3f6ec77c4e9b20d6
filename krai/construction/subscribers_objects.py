"""Construction's reactions to events and registrations with the kernel: the objects part (written by its owner)."""
