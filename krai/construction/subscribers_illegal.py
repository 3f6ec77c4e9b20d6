"""Construction's reactions to events and registrations with the kernel: the illegal part (written by its owner)."""
