"""Construction's reactions to events and registrations with the kernel: the works part (written by its owner)."""
